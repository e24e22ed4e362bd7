import BPTensor

/// The arguments of a builtin bound to its parameters, read by name: `a.tensor("x")`,
/// `a.number("lo")`, `a.count("n")`, `a.axes("axis", rank: x.rank)`, `a["y"]` for any value.
/// Each reader converts and checks its argument, and an error names the builtin and the
/// parameter ("clip() expects a number for 'lo', found a string").
public struct BoundArgs {
    let builtin: Builtin
    /// The parameters' values, then (for a variadic builtin) the extra positional arguments.
    let values: [Value]
    let positionalCount: Int
    /// What only a call with keywords has; nil for the usual call by position, which then
    /// carries nothing it does not use (each field is a retain and a release a call).
    let keywordPart: KeywordPart?
    public let loc: SourceLocation?
    public let label: Label?
    public let argumentLabels: [Label?]

    final class KeywordPart {
        let slots: [Int?]
        let keywords: [(String, Value)]
        init(slots: [Int?], keywords: [(String, Value)]) { self.slots = slots; self.keywords = keywords }
    }

    /// Extra positional arguments of a variadic builtin (`print(a, b, c)`).
    public var rest: [Value] { values.count > builtin.names.count ? Array(values[builtin.names.count...]) : [] }

    /// Keyword arguments that name no parameter, in the order written, for a builtin that
    /// collects them (`check(f, a=5, b=7)`).
    public var keywords: [(String, Value)] { keywordPart?.keywords ?? [] }

    /// A call that gave every argument by position (`Builtin.takesByPosition`): `values`
    /// holds them; the parameters after them take their defaults. No binding check is
    /// needed (the usual call of a builtin in a loop).
    init(positional values: [Value], _ b: Builtin, loc: SourceLocation?, label: Label?, argumentLabels: [Label?]) {
        let n = b.names.count
        positionalCount = Swift.min(values.count, n)
        if values.count < n {
            var all = values
            all.append(contentsOf: b.defaults[values.count...])
            self.values = all
        } else {
            self.values = values
        }
        builtin = b
        keywordPart = nil
        self.loc = loc
        self.label = label
        self.argumentLabels = argumentLabels
    }

    /// Arguments already in their parameters' slots (`KeywordSite`, which checked the
    /// binding on its first call).
    init(bound values: [Value], _ b: Builtin, positionalCount: Int, keywordPart: KeywordPart, loc: SourceLocation?,
         label: Label?, argumentLabels: [Label?]) {
        builtin = b
        self.values = values
        self.positionalCount = positionalCount
        self.keywordPart = keywordPart
        self.loc = loc
        self.label = label
        self.argumentLabels = argumentLabels
    }

    /// Binds a call's arguments (see `Binding`); a parameter left out takes its default.
    init(_ b: Builtin, _ args: Arguments) throws {
        let binding = try Binding(b.name, b.names, variadic: b.rest != nil, collectsKeywords: b.keywords != nil,
                                  hasDefault: { b.params[$0].defaultValue != nil }, args)
        let n = b.params.count
        var values = b.defaults
        for (i, v) in args.positional.prefix(n).enumerated() { values[i] = v }
        var extra: [(String, Value)] = []
        for (k, slot) in binding.keywordSlots.enumerated() {
            if let slot { values[slot] = args.keywords[k].1 } else { extra.append(args.keywords[k]) }
        }
        if args.positional.count > n { values += args.positional[n...] }
        builtin = b
        self.values = values
        positionalCount = min(args.positional.count, n)
        keywordPart = binding.keywordSlots.isEmpty ? nil : KeywordPart(slots: binding.keywordSlots, keywords: extra)
        loc = args.loc
        label = args.label
        argumentLabels = args.argumentLabels
    }

    var function: String { builtin.name }

    /// The position of parameter `name`, which must be one of the builtin's and (in a debug
    /// build) of one of `kinds`: a body reads what its declaration says.
    func slot(_ name: String, _ kinds: [ArgumentKind]) -> Int {
        guard let i = builtin.names.firstIndex(of: name) else { preconditionFailure("\(function)() has no parameter '\(name)'") }
        assert(kinds.isEmpty || kinds.contains(builtin.params[i].kind), "\(function)()'s '\(name)' is declared \(builtin.params[i].kind)")
        return i
    }

    /// The argument as given (or its default).
    public subscript(_ name: String) -> Value { values[slot(name, [])] }

    /// True when the call gave the argument (rather than leaving it to its default).
    public func isGiven(_ name: String) -> Bool {
        let i = slot(name, [])
        return i < positionalCount || (keywordPart?.slots.contains(i) ?? false)
    }

    /// True when the argument is `none` (an optional one left out, usually).
    public func isNone(_ name: String) -> Bool {
        if case .none = self[name] { return true }
        return false
    }

    /// The error for an argument of the wrong kind: the one wording of it.
    func mismatch(_ name: String, _ kind: ArgumentKind, _ v: Value) -> BPError {
        BPError.runtime("\(function)() expects \(kind.expected) for '\(name)', found a \(describe(v))", at: loc)
    }

    public func number(_ name: String) throws -> Double {
        let v = values[slot(name, [.number])]
        guard let d = v.asDouble else { throw mismatch(name, .number, v) }
        return d
    }

    public func bool(_ name: String) throws -> Bool {
        let v = values[slot(name, [.bool])]
        switch v {
        case .bool(let b): return b
        case .number(let d): return d != 0
        default: throw mismatch(name, .bool, v)
        }
    }

    public func string(_ name: String) throws -> String {
        let v = values[slot(name, [.string])]
        guard case .string(let s) = v else { throw mismatch(name, .string, v) }
        return s
    }

    /// A number, bool, list or tensor as a tensor (a list is stacked, as NumPy converts it).
    public func tensor(_ name: String) throws -> Tensor {
        let v = values[slot(name, [.tensor])]
        guard let t = try Values.toTensor(v) else { throw mismatch(name, .tensor, v) }
        return t
    }

    public func function(_ name: String) throws -> Function {
        let v = values[slot(name, [.function])]
        guard case .function(let f) = v else { throw mismatch(name, .function, v) }
        return f
    }
}
