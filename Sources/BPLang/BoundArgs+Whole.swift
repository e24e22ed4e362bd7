import BPTensor

/// The checked conversions of counts, sizes, indices and axes (as Lua's
/// `luaL_checkinteger`): never a trap, and each error worded once, naming the builtin and
/// the parameter. A whole number's own checks ("must be a whole number", "is too large" past
/// 2^53) are `Values.whole`'s, which indexing shares.
extension BoundArgs {
    /// `round()'s n`: how errors name a parameter (or, with `label`, its role: `range()'s end`).
    func subject(_ name: String, _ label: String?) -> String { "\(function)()'s \(label ?? name)" }

    /// A whole number of either sign (an index, a number of digits, a seed).
    public func integer(_ name: String, as label: String? = nil) throws -> Int {
        try Values.whole(values[slot(name, [.integer])], subject(name, label), at: loc)
    }

    /// A whole number at least 0 (a size, a count).
    public func count(_ name: String, as label: String? = nil) throws -> Int {
        try atLeastZero(try Values.whole(values[slot(name, [.count])], subject(name, label), at: loc), subject(name, label))
    }

    func atLeastZero(_ n: Int, _ subject: String) throws -> Int {
        guard n >= 0 else { throw BPError.runtime("\(subject) must be at least 0, found \(n)", at: loc) }
        return n
    }

    /// One axis, negative ones counting from the end, checked against `rank`.
    public func axis(_ name: String, rank: Int) throws -> Int {
        try axis(values[slot(name, [.axis, .axes])], name, rank: rank)
    }

    func axis(_ v: Value, _ name: String, rank: Int) throws -> Int {
        let k = try Values.whole(v, subject(name, nil), at: loc)
        guard let r = NegativeIndex.resolve(k, count: rank) else {
            throw BPError.runtime("\(function)(): \(name) \(k) is out of range for a tensor with \(rank) dimension\(rank == 1 ? "" : "s")", at: loc)
        }
        return r
    }

    /// `axis=none` (nil: every axis), one axis, or a list (or 1-d tensor) of distinct axes.
    public func axes(_ name: String, rank: Int) throws -> [Int]? {
        let v = values[slot(name, [.axes])]
        let axes: [Int]
        switch v {
        case .none: return nil
        case .list(let l): axes = try l.items.map { try axis($0, name, rank: rank) }
        case .tensor(let t) where t.rank == 1: axes = try t.data.map { try axis(.number($0), name, rank: rank) }
        default: return [try axis(v, name, rank: rank)]
        }
        // NumPy: "duplicate value in 'axis'"
        for (k, a) in axes.enumerated() where axes[..<k].contains(a) {
            throw BPError.runtime("\(function)(): axis \(a) is given twice in '\(name)'", at: loc)
        }
        return axes
    }

    /// The sizes of a shape given as values (`zeros(2, 3)`), or as one list or 1-d tensor
    /// (`zeros([2, 3])`); `signed` lets negative ones through (reshape's -1).
    public func sizes(_ values: [Value], signed: Bool = false) throws -> [Int] {
        var items = values
        if values.count == 1 {
            if case .list(let l) = values[0] { items = l.items }
            if case .tensor(let t) = values[0], t.rank == 1 { items = t.data.map { .number($0) } }
        }
        let subject = "a size in \(function)()"
        let dims = try items.map { v -> Int in
            let n = try Values.whole(v, subject, at: loc)
            return signed ? n : try atLeastZero(n, subject)
        }
        try checkSize(dims.map { Swift.max($0, 0) })
        return dims
    }

    /// Checks a shape before anything is allocated (`Limits.count`), naming the builtin.
    public func checkSize(_ dims: [Int]) throws {
        do { try Limits.count(dims) } catch let e as TensorError { throw BPError.runtime("\(function)(): " + e.message, at: loc) }
    }
}
