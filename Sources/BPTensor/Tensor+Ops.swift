/// Reductions, matrix products, joins and selection: the operations beyond element-wise
/// ones. Each records its node; the derivatives are in `Backward.propagate`.
public struct Join {
    /// For each input, where each of its elements goes in the output.
    public let offsets: [[Int]]
    public init(_ offsets: [[Int]]) { self.offsets = offsets }
}

/// Row-major strides of a shape.
public func strides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var k = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) { s[d] = k; k *= shape[d] }
    return s
}

extension Tensor {
    /// The same values with another shape (no copy of the graph semantics: a gather).
    public static func reshape(_ x: Tensor, _ shape: [Int], site: Int32 = -1) -> Tensor {
        if !x.requiresGrad || !Graph.isEnabled {
            return Tensor(shape: shape, data: x.data)
        }
        return gather(x, Gather(Array(0..<x.count)), shape: shape, site: site)
    }

    /// Permutes the axes (`perm[i]` is the input axis that becomes output axis i).
    public static func permute(_ x: Tensor, _ perm: [Int], site: Int32 = -1) -> Tensor {
        let shape = perm.map { x.shape[$0] }
        let inStrides = strides(x.shape)
        let offsets = Broadcast.offsets(steps: perm.map { inStrides[$0] }, over: shape)
        return gather(x, Gather(offsets), shape: shape, site: site)
    }

    /// Sums over the given axes (all when nil), keeping them as size 1 with `keepdims`.
    public static func sum(_ x: Tensor, axes: [Int]?, keepdims: Bool = false, site: Int32 = -1) -> Tensor {
        let all = axes ?? Array(0..<x.rank)
        var kept = x.shape
        for a in all { kept[a] = 1 }
        let outShape = keepdims ? kept : x.shape.enumerated().filter { !all.contains($0.offset) }.map(\.element)
        let map: [Int]
        if all.count == x.rank {
            map = [Int](repeating: 0, count: x.count)
        } else {
            map = Broadcast.offsets(of: kept, in: x.shape)
        }
        var out = [Double](repeating: 0, count: max(1, kept.reduce(1, *)))
        x.data.withUnsafeBufferPointer { d in
            for i in 0..<d.count { out[map[i]] += d[i] }
        }
        let t = Tensor(shape: outShape, data: out)
        Graph.record(t, .sumTo(Gather(map)), x, site: site)
        return t
    }

    /// NumPy's matmul for 1-d and 2-d operands.
    public static func matmul(_ a: Tensor, _ b: Tensor, site: Int32 = -1) throws -> Tensor {
        guard a.rank >= 1, b.rank >= 1, a.rank <= 2, b.rank <= 2 else {
            throw TensorError.matmulRank(a: a.shape, b: b.shape)
        }
        let (n, k) = a.rank == 2 ? (a.shape[0], a.shape[1]) : (1, a.shape[0])
        let (k2, m) = b.rank == 2 ? (b.shape[0], b.shape[1]) : (b.shape[0], 1)
        guard k == k2 else { throw TensorError.matmulMismatch(a: a.shape, b: b.shape, k1: k, k2: k2) }
        try Limits.count([n, m])
        var out = [Double](repeating: 0, count: n * m)
        try mm(a.data, b.data, &out, n, k, m, transA: false, transB: false)
        var shape: [Int] = []
        if a.rank == 2 { shape.append(n) }
        if b.rank == 2 { shape.append(m) }
        let t = Tensor(shape: shape, data: out)
        Graph.record(t, .matmul, a, b, site: site)
        return t
    }

    /// C(n,m) += op(A)(n,k) * op(B)(k,m), i-k-j order so the inner loop runs along rows.
    /// Looks at the interrupt flag between blocks of rows (C is the caller's new buffer, so
    /// an interrupted product publishes nothing).
    static func mm(_ A: [Double], _ B: [Double], _ C: inout [Double], _ n: Int, _ k: Int, _ m: Int,
                   transA: Bool, transB: Bool) throws {
        let rowsPerPoll = Swift.max(1, Engine.pollInterval / Swift.max(1, k * m))
        try A.withUnsafeBufferPointer { a in
            try B.withUnsafeBufferPointer { b in
                try C.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        if i % rowsPerPoll == rowsPerPoll - 1 { try Engine.poll() }
                        for p in 0..<k {
                            let av = transA ? a[p * n + i] : a[i * k + p]
                            if av == 0 { continue }
                            if transB {
                                for j in 0..<m { c[i * m + j] += av * b[j * k + p] }
                            } else {
                                let row = p * m
                                for j in 0..<m { c[i * m + j] += av * b[row + j] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dA = G Bᵀ and dB = Aᵀ G, with 1-d operands treated as a row (A) or a column (B).
    static func matmulGradients(_ a: Tensor, _ b: Tensor, _ g: [Double]) throws -> ([Double], [Double]) {
        let (n, k) = a.rank == 2 ? (a.shape[0], a.shape[1]) : (1, a.shape[0])
        let m = b.rank == 2 ? b.shape[1] : 1
        var ga = [Double](repeating: 0, count: n * k), gb = [Double](repeating: 0, count: k * m)
        // G is (n, m); B is (k, m) stored row-major, so Bᵀ uses transB
        try mm(g, b.data, &ga, n, m, k, transA: false, transB: true)
        try mm(a.data, g, &gb, k, n, m, transA: true, transB: false)
        return (ga, gb)
    }

    /// Joins same-shaped tensors along a new axis (`stack`) or an existing one (`concat`).
    public static func join(_ xs: [Tensor], axis: Int, newAxis: Bool, site: Int32 = -1) throws -> Tensor {
        guard let first = xs.first else { throw TensorError.emptyJoin }
        var outShape: [Int]
        if newAxis {
            for x in xs where x.shape != first.shape { throw TensorError.shapeMismatch(op: "stack", a: first.shape, b: x.shape) }
            outShape = first.shape
            outShape.insert(xs.count, at: axis)
        } else {
            for x in xs {
                guard x.rank == first.rank,
                      x.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == first.shape[$0.offset] }) else {
                    throw TensorError.shapeMismatch(op: "concat", a: first.shape, b: x.shape)
                }
            }
            outShape = first.shape
            outShape[axis] = xs.reduce(0) { $0 + $1.shape[axis] }
        }
        try Limits.count(outShape)
        let outer = outShape[..<axis].reduce(1, *)
        let inner = outShape[(axis + 1)...].reduce(1, *)
        var data = [Double](repeating: 0, count: outShape.reduce(1, *))
        var offsets: [[Int]] = []
        offsets.reserveCapacity(xs.count)
        var start = 0  // position along the axis
        for x in xs {
            let len = newAxis ? 1 : x.shape[axis]
            var o = [Int](repeating: 0, count: x.count)
            var j = 0
            for p in 0..<outer {
                for q in 0..<len {
                    let base = (p * outShape[axis] + start + q) * inner
                    for r in 0..<inner {
                        o[j] = base + r
                        data[base + r] = x.data[j]
                        j += 1
                    }
                }
            }
            offsets.append(o)
            start += len
        }
        let t = Tensor(shape: outShape, data: data)
        if xs.count > 1 {
            Graph.record(t, .join(Join(offsets)), xs[0], xs[1], rest: Array(xs.dropFirst(2)), site: site)
        } else {
            Graph.record(t, .join(Join(offsets)), xs[0], site: site)
        }
        return t
    }

    /// `where(mask, a, b)`: a where the mask is non-zero, else b; all three broadcast.
    public static func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor, site: Int32 = -1) throws -> Tensor {
        let s1 = try Broadcast.result(a.shape, b.shape, op: "where")
        let shape = try Broadcast.result(mask.shape, s1, op: "where")
        let om = Broadcast.offsets(of: mask.shape, in: shape)
        let oa = Broadcast.offsets(of: a.shape, in: shape), ob = Broadcast.offsets(of: b.shape, in: shape)
        let data = (0..<om.count).map { mask.data[om[$0]] != 0 ? a.data[oa[$0]] : b.data[ob[$0]] }
        let t = Tensor(shape: shape, data: data)
        Graph.record(t, .select(mask), a, b, site: site)
        return t
    }
}
