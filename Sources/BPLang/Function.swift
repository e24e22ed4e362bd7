import BPTensor

/// Compiled code: an expression yields a value, a statement a control-flow signal.
typealias Code = (Interpreter) throws -> Value
typealias Exec = (Interpreter) throws -> Flow

enum Flow { case normal, breakLoop, continueLoop, returned }

/// Arguments of a call as written: positional, then keyword.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    public var loc: SourceLocation?
    public var label: Label?
    /// The label of each argument's source text (for `backward(f)` printing `df/da`).
    public var argumentLabels: [Label?] = []

    public init(_ positional: [Value], keywords: [(String, Value)] = [], loc: SourceLocation? = nil, label: Label? = nil) {
        self.positional = positional
        self.keywords = keywords
        self.loc = loc
        self.label = label
    }
}

/// A builtin's parameter: its name and, for an optional one, its default.
public struct BuiltinParam {
    public let name: String
    public let defaultValue: Value?
    public init(_ name: String, _ defaultValue: Value? = nil) { self.name = name; self.defaultValue = defaultValue }
}

/// The arguments of a builtin bound to its parameters.
public struct BoundArgs {
    public let values: [Value]
    /// Extra positional arguments of a variadic builtin (`print(a, b, c)`).
    public let rest: [Value]
    public let loc: SourceLocation?
    public let label: Label?
    public var argumentLabels: [Label?] = []
    let names: [String]
    let function: String
    let given: [Bool]

    public subscript(_ i: Int) -> Value { values[i] }
    public func isGiven(_ i: Int) -> Bool { given[i] }

    public func number(_ i: Int) throws -> Double {
        guard let d = values[i].asDouble else {
            throw BPError.runtime("\(function)() expects a number for '\(names[i])', found a \(describe(values[i]))", at: loc)
        }
        return d
    }

    public func bool(_ i: Int) throws -> Bool {
        switch values[i] {
        case .bool(let b): return b
        case .number(let d): return d != 0
        default: throw BPError.runtime("\(function)() expects true or false for '\(names[i])', found a \(describe(values[i]))", at: loc)
        }
    }

    public func string(_ i: Int) throws -> String {
        guard case .string(let s) = values[i] else {
            throw BPError.runtime("\(function)() expects a string for '\(names[i])', found a \(describe(values[i]))", at: loc)
        }
        return s
    }
}

func describe(_ v: Value) -> String {
    if case .tensor(let t) = v, t.rank > 0 { return "tensor of shape \(describeShape(t.shape))" }
    return v.kindName
}

/// A function value: a user `def`, a builtin, or a function made by `grad(fn)`.
public final class Function {
    enum Body {
        case user(exec: Exec, slots: Int, params: [String], defaults: [Code?])
        case builtin(params: [BuiltinParam], variadic: Bool, impl: (Interpreter, BoundArgs) throws -> Value)
    }
    public let name: String
    let body: Body
    /// `f(x, k=2)` as help and printing show it.
    public let signature: String

    init(name: String, body: Body, signature: String) {
        self.name = name
        self.body = body
        self.signature = signature
    }

    /// A builtin; its signature is derived from the parameters.
    public static func builtin(_ name: String, _ params: [BuiltinParam], variadic: Bool = false, rest: String = "...",
                               _ impl: @escaping (Interpreter, BoundArgs) throws -> Value) -> Function {
        var parts = params.map { p in p.defaultValue.map { "\(p.name)=\(Formatter().repr($0))" } ?? p.name }
        if variadic { parts.append(rest) }
        return Function(name: name, body: .builtin(params: params, variadic: variadic, impl: impl),
                        signature: "\(name)(\(parts.joined(separator: ", ")))")
    }
}
