import BPTensor

/// A list: its elements are the values themselves (tensors are shared, not copied).
public final class ListRef {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }

    // Releasing a list nested millions deep recursively would overflow the stack, so a
    // dying list takes apart the nested lists it uniquely owns in a loop.
    deinit {
        var stack: [ListRef] = []
        for case .list(let l) in items { stack.append(l) }
        if stack.isEmpty { return }
        items = []
        while var l = stack.popLast() {
            if isKnownUniquelyReferenced(&l) {
                for case .list(let inner) in l.items { stack.append(inner) }
                l.items = []
            }
        }
    }
}

/// `range(a, b, step)`: a lazy sequence of whole numbers.
public struct RangeValue {
    public let start: Int, stop: Int, step: Int
    public var count: Int {
        if step > 0 { return start < stop ? (stop - start + step - 1) / step : 0 }
        return start > stop ? (start - stop - step - 1) / -step : 0
    }
    public func element(_ i: Int) -> Int { start + i * step }
}

/// A formula binding `f := expr`: evaluated anew at each use.
public final class Formula {
    let name: String
    let code: Code
    let source: String
    /// The whole input that defined it, to show the line of an error inside it.
    let input: String
    /// The names its expression reads (to find a formula that refers to itself).
    let names: Set<String>
    /// True while it is being evaluated: reading it again then means it refers to itself.
    private var active = false

    init(name: String, code: @escaping Code, source: String, input: String, names: Set<String>) {
        self.name = name
        self.input = input
        self.code = code
        self.source = source
        self.names = names
    }

    static func selfReference(_ name: String, at loc: SourceLocation?) -> BPError {
        BPError.runtime("formula '\(name)' refers to itself; use '=' to bind a value", at: loc)
    }

    /// Evaluates the expression; a use of the formula while it is being evaluated (through
    /// other formulas or functions) is an error, never an endless recursion.
    func evaluate(_ i: Interpreter, at loc: SourceLocation?) throws -> Value {
        if active { throw Formula.selfReference(name, at: loc) }
        active = true
        defer { active = false }
        do { return try code(i) } catch var e as BPError {
            if e.source == nil { e.source = input }
            throw e
        }
    }
}

/// A value of the language. A number that is not a graph node is stored inline
/// (`.number`), never as a heap object; tensors and graph nodes are `.tensor`.
public enum Value {
    case number(Double)
    case tensor(Tensor)
    case bool(Bool)
    case string(String)
    case list(ListRef)
    case range(RangeValue)
    case function(Function)
    case none
    /// Only ever stored in a variable slot: reading the variable evaluates it.
    case formula(Formula)
    /// An object of the host program (a network, an optimizer...): see `HostObject`.
    case host(HostObject)

    /// The kind as error messages and `:vars` name it.
    public var kindName: String {
        switch self {
        case .number: return "number"
        case .tensor(let t): return t.rank == 0 ? "number" : "tensor"
        case .bool: return "bool"
        case .string: return "string"
        case .list: return "list"
        case .range: return "range"
        case .function: return "function"
        case .none: return "none"
        case .formula: return "formula"
        case .host(let h): return h.kindName
        }
    }

    /// The number of a number, bool or one-element tensor.
    public var asDouble: Double? {
        switch self {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1: return t.scalar
        default: return nil
        }
    }

    /// A number or a 0-d tensor (something that compares as a number, giving a bool).
    var isNumberLike: Bool {
        switch self {
        case .number, .bool: return true
        case .tensor(let t): return t.rank == 0
        default: return false
        }
    }
}

/// A value's kind as messages name it: "tensor of shape (2,3)" for a tensor, else its kind.
func describe(_ v: Value) -> String {
    if case .tensor(let t) = v, t.rank > 0 { return "tensor of shape \(describeShape(t.shape))" }
    return v.kindName
}
