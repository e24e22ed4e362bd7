import BPTensor

/// A call with keywords (`sum(x, axis=0, keepdims=true)`) remembers where they went for the
/// last builtin it called. The keyword names and the number of positional arguments are the
/// call's own, so the same builtin binds them the same way every time: the check (`Binding`)
/// runs on the first call, and later ones evaluate each argument straight into its
/// parameter's slot (no `Arguments`, no binding arrays; the call cost three times a call by
/// position). A builtin that takes extra positional arguments or collects unknown keywords
/// takes the general path every time.
final class KeywordSite {
    private let positional: [CodeBox]
    private let keywords: [(String, CodeBox)]
    private let location: SourceLocation
    private let label: Label?
    private let argumentLabels: [Label?]
    /// The builtin the slots are for (kept, so another object at its address is never taken
    /// for it), each keyword's parameter, and the keyword part every binding shares.
    private var builtin: Builtin?
    private var slots: [Int] = []
    private var keywordPart: BoundArgs.KeywordPart?

    init(_ positional: [CodeBox], _ keywords: [(String, CodeBox)], at location: SourceLocation, label: Label?,
         argumentLabels: [Label?]) {
        self.positional = positional
        self.keywords = keywords
        self.location = location
        self.label = label
        self.argumentLabels = argumentLabels
    }

    /// True when `b` can be called through this site (see the type's comment).
    func takes(_ b: Builtin) -> Bool {
        b.rest == nil && b.keywords == nil && positional.count <= b.names.count
    }

    /// Calls `b` (`takes(b)`): the arguments evaluated in the order written, positional ones
    /// first, as the general call does.
    func call(_ b: Builtin, _ i: Interpreter) throws -> Value {
        guard builtin === b, let keywordPart else { return try firstCall(b, i) }
        // the slots read once: evaluating an argument may come back to this site with another
        // builtin (recursion), which replaces them
        let slots = self.slots
        var values = b.defaults
        for (k, p) in positional.enumerated() { values[k] = try p.run(i) }
        for (k, kw) in keywords.enumerated() { values[slots[k]] = try kw.1.run(i) }
        try i.checkInterrupt()
        let bound = BoundArgs(bound: values, b, positionalCount: positional.count, keywordPart: keywordPart,
                              loc: location, label: label, argumentLabels: argumentLabels)
        return try i.run(b, bound, at: location)
    }

    /// The general call, which checks the binding; its slots are kept for the next calls.
    private func firstCall(_ b: Builtin, _ i: Interpreter) throws -> Value {
        var args = Arguments(try positional.map { try $0.run(i) }, keywords: try keywords.map { ($0.0, try $0.1.run(i)) },
                             loc: location, label: label)
        args.argumentLabels = argumentLabels
        try i.checkInterrupt()
        let bound = try BoundArgs(b, args)
        if let part = bound.keywordPart, part.keywords.isEmpty {
            slots = part.slots.map { $0! }
            keywordPart = part
            builtin = b
        }
        return try i.run(b, bound, at: location)
    }
}
