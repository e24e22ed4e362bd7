import BPTensor
/// A builtin function as declared: its name, its parameters, the extra positional
/// arguments it collects, its help and example, and its body. The body reads the bound
/// arguments by name (see `BoundArgs`):
///
///     Function.builtin("clip", [.tensor("x"), .number("lo"), .number("hi")],
///                      help: "Limits every element to [lo, hi]. ...",
///                      example: "clip([-2, 0.5, 3], 0, 1)   # [0.0000 0.5000 1.0000]") { _, a in
///         let x = try a.tensor("x"), lo = try a.number("lo"), hi = try a.number("hi")
///         ...
///     }
///
/// The signature `help` and printing show (`clip(x, lo, hi)`) comes from the parameters.
public final class Builtin: @unchecked Sendable {  // immutable once declared
    /// Extra positional arguments (`print(a, b, c)`, `zeros(2, 3)`): how the signature shows
    /// them and what each is.
    public struct Rest: Sendable {
        public let text: String
        public let kind: ArgumentKind
        public init(_ text: String, _ kind: ArgumentKind) { self.text = text; self.kind = kind }
        /// `...`: any values.
        public static let values = Rest("...", .any)
        /// `shape...`: sizes, or one list of sizes.
        public static let shape = Rest("shape...", .count)
    }

    public let name: String
    public let params: [BuiltinParam]
    public let rest: Rest?
    /// For a builtin that takes keyword arguments of any name (`check(f, a=5, b=7)`), how the
    /// signature shows them (`name=value...`); nil for the others.
    public let keywords: String?
    /// What `help(name)` shows below the signature; nil for a function made at run time.
    public let help: Help?
    let body: (Interpreter, BoundArgs) throws -> Value
    /// For an element-wise function of one tensor (`sigmoid`, `exp`): the function, which a
    /// call `f(x)` applies directly (`Compiler.globalCall`), without binding arguments.
    let unary: UnaryFunction?
    /// The parameters' names and defaults (`none` for a required one), kept for binding,
    /// which runs at every call.
    let names: [String]
    let defaults: [Value]
    /// The number of leading parameters a call must give (every later one has a default).
    let required: Int

    /// True when a call giving `count` arguments by position, and no keyword, binds without
    /// a check: enough for the required parameters, and not too many for the parameters
    /// (unless the builtin collects the rest).
    @inline(__always)
    func takesByPosition(_ count: Int) -> Bool {
        count >= required && (count <= names.count || rest != nil)
    }

    init(_ name: String, _ params: [BuiltinParam], rest: Rest?, keywords: String? = nil, help: Help?,
         unary: UnaryFunction? = nil, _ body: @escaping (Interpreter, BoundArgs) throws -> Value) {
        self.name = name
        self.unary = unary
        self.params = params
        self.rest = rest
        self.keywords = keywords
        self.help = help
        self.body = body
        names = params.map(\.name)
        defaults = params.map { $0.defaultValue ?? Value.none }
        required = (params.lastIndex { $0.defaultValue == nil } ?? -1) + 1
    }

    /// `range(a, b=none, step=1)`.
    var signature: String {
        // a function default shows by its name: train(loss=mse)
        func shown(_ v: Value) -> String { if case .function(let f) = v { return f.name } else { return Formatter().repr(v) } }
        var parts = params.map { p in p.defaultValue.map { "\(p.name)=\(shown($0))" } ?? p.name }
        if let rest { parts.append(rest.text) }
        if let keywords { parts.append(keywords) }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

extension Function {
    /// A builtin with its help: one declaration (see `Builtin`).
    static func builtin(_ name: String, _ params: [BuiltinParam], rest: Builtin.Rest? = nil, keywords: String? = nil,
                        unary: UnaryFunction? = nil, help: String, example: String,
                        _ body: @escaping (Interpreter, BoundArgs) throws -> Value) -> Function {
        Function(Builtin(name, params, rest: rest, keywords: keywords, help: Help(text: help, example: example), unary: unary, body))
    }

    convenience init(_ builtin: Builtin) {
        self.init(name: builtin.name, body: .builtin(builtin), signature: nil)
    }
}
