import BPTensor

/// Subscripts: reading (differentiable for tensors), writing in place, in-place updates.
enum Indexing {
    static func selectors(_ shape: [Int], _ items: [IndexValue], at loc: SourceLocation) throws -> [Values.Selector?] {
        try items.enumerated().map { d, item in
            let n = d < shape.count ? shape[d] : 0
            switch item {
            case .index(let v):
                if case .tensor(let t) = v, t.rank > 0 { throw Hints.maskIndex(at: loc) }
                if case .list = v { throw Hints.maskIndex(at: loc) }
                return .at(try Values.whole(v, "an index", at: loc))
            case .slice(let a, let b, let c):
                let step = try c.map { try Values.whole($0, "a slice step", at: loc) } ?? 1
                if step == 0 { throw BPError.runtime("a slice step cannot be zero", at: loc) }
                let start = try a.map { try Values.whole($0, "a slice start", at: loc) }
                let stop = try b.map { try Values.whole($0, "a slice stop", at: loc) }
                let (s, e, k) = Values.sliceBounds(start, stop, step, count: n)
                return .range(s, e, k)
            }
        }
    }

    static func get(_ container: Value, _ items: [IndexValue], label: Label?, at loc: SourceLocation) throws -> Value {
        switch container {
        case .list(let l):
            return try sequenceGet(l.items, items, at: loc) { .list(ListRef($0)) }
        case .string(let s):
            return try sequenceGet(s.map { Value.string(String($0)) }, items, at: loc) { vs in
                .string(vs.map { if case .string(let c) = $0 { return c } else { return "" } }.joined())
            }
        case .range(let r):
            guard items.count == 1, case .index(let v) = items[0] else { throw BPError.runtime("a range takes one integer index", at: loc) }
            let k = try Values.whole(v, "an index", at: loc)
            guard let i = NegativeIndex.resolve(k, count: r.count) else { throw BPError.runtime("index \(k) is out of range for a range of \(r.count) numbers", at: loc) }
            return .number(Double(r.element(i)))
        default:
            guard let t = Values.tensor(container) else { throw BPError.runtime("a \(describe(container)) cannot be indexed", at: loc) }
            if t.rank == 0 { throw BPError.runtime("a number cannot be indexed (it has no dimensions)", at: loc) }
            let (offsets, shape) = try Values.select(t.shape, try selectors(t.shape, items, at: loc), at: loc)
            return Values.wrap(Tensor.gather(t, offsets, shape: shape, label: label))
        }
    }

    static func sequenceGet(_ items: [Value], _ index: [IndexValue], at loc: SourceLocation, make: ([Value]) -> Value) throws -> Value {
        guard index.count == 1 else { throw BPError.runtime("a list takes one index", at: loc) }
        switch index[0] {
        case .index(let v):
            let k = try Values.whole(v, "an index", at: loc)
            guard let i = NegativeIndex.resolve(k, count: items.count) else { throw BPError.runtime("index \(k) is out of range for a list of \(items.count) elements", at: loc) }
            return items[i]
        case .slice:
            guard case .range(let s, let e, let step)? = try selectors([items.count], index, at: loc)[0] else { return make([]) }
            var out: [Value] = []
            var i = s
            while step > 0 ? i < e : i > e { out.append(items[i]); i += step }
            return make(out)
        }
    }

    /// `x[i, j] = v`: writes in place, never recorded; the tensor's version changes.
    static func set(_ container: Value, _ items: [IndexValue], _ value: Value, at loc: SourceLocation) throws {
        switch container {
        case .list(let l):
            guard items.count == 1, case .index(let v) = items[0] else { throw BPError.runtime("a list element is assigned with one integer index", at: loc) }
            let k = try Values.whole(v, "an index", at: loc)
            guard let i = NegativeIndex.resolve(k, count: l.items.count) else { throw BPError.runtime("index \(k) is out of range for a list of \(l.items.count) elements", at: loc) }
            l.items[i] = value
        case .tensor(let t) where t.rank > 0:
            let (offsets, shape) = try Values.select(t.shape, try selectors(t.shape, items, at: loc), at: loc)
            guard let src = Values.tensor(value) else { throw BPError.runtime("cannot store a \(describe(value)) in a tensor", at: loc) }
            guard let b = Broadcast.shape(shape, src.shape), b == shape else {
                throw BPError.runtime("cannot assign a value of shape \(describeShape(src.shape)) to a selection of shape \(describeShape(shape))", at: loc)
            }
            let so = Broadcast.offsets(of: src.shape, in: shape)
            let sd = src.data
            t.update { d in for (k, o) in offsets.enumerated() { d[o] = sd[so[k]] } }
        default:
            throw BPError.runtime("a \(describe(container)) does not support item assignment", at: loc)
        }
    }

    /// `x += v` on a tensor: changes x's values in place (broadcasting v to x's shape).
    static func updateInPlace(_ t: Tensor, _ op: BinaryOperator, _ value: Value, at loc: SourceLocation) throws {
        guard let bop = op.elementwise, let v = Values.tensor(value) else {
            throw BPError.runtime("'\(op.rawValue)=' needs a number or tensor on the right, found a \(describe(value))", at: loc)
        }
        // one shape, or a number: what `W -= lr * dW` updates (checked without copying shapes)
        if (v.isInline || v.sameStoredShape(t)) && Tensor.updateInPlace(t, bop, v) { return }
        guard let b = Broadcast.shape(t.shape, v.shape), b == t.shape else {
            throw BPError.runtime("'\(op.rawValue)=' cannot update a \(describeShape(t.shape)) tensor in place with a \(describeShape(v.shape)) value", at: loc)
        }
        if Tensor.updateInPlace(t, bop, v) { return }
        let vd = v.data
        let o = v.count == 1 ? nil : Broadcast.offsets(of: v.shape, in: t.shape)
        t.update { d in
            if let o {
                for k in 0..<d.count { d[k] = bop.apply(d[k], vd[o[k]]) }
            } else {
                for k in 0..<d.count { d[k] = bop.apply(d[k], vd[0]) }
            }
        }
    }
}

