/// NumPy's matmul for 1-d and 2-d operands.
final class MatmulOperation: Operation, @unchecked Sendable {  // immutable: shared by every thread
    static let shared = MatmulOperation()

    override var symbol: String { "@" }
    override var rule: String { "d(A @ B)/dA = G @ Bᵀ, d(A @ B)/dB = Aᵀ @ G (G the upstream gradient)" }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor { try Tensor.matmul(inputs[0], inputs[1]) }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let a = node.a!, b = node.b!
        let (n, k, m) = Tensor.matmulSizes(a, b)
        var ga = [Double](repeating: 0, count: n * k), gb = [Double](repeating: 0, count: k * m)
        // G is (n, m); B is (k, m) stored row-major, so Bᵀ uses transB
        if a.requiresGrad {
            try Tensor.mm(g, b.data, &ga, n, m, k, transA: false, transB: true)
            Backward.accumulate(ga, local: [], into: a, outShape: a.shape, via: node, upstream: g, trace: trace)
        }
        if b.requiresGrad {
            try Tensor.mm(a.data, g, &gb, k, n, m, transA: true, transB: false)
            Backward.accumulate(gb, local: [], into: b, outShape: b.shape, via: node, upstream: g, trace: trace)
        }
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let a = node.a!, b = node.b!
        let (n, k, m) = Tensor.matmulSizes(a, b)
        let a2 = Tensor.reshape(a, [n, k]), b2 = Tensor.reshape(b, [k, m]), g2 = Tensor.reshape(g, [n, m])
        let ga = a.requiresGrad ? Tensor.reshape(try Tensor.matmul(g2, Tensor.permute(b2, [1, 0])), a.shape) : nil
        let gb = b.requiresGrad ? Tensor.reshape(try Tensor.matmul(Tensor.permute(a2, [1, 0]), g2), b.shape) : nil
        return [ga, gb]
    }
}

extension Tensor {
    /// (n, k, m) of a product, a 1-d left operand as a row and a 1-d right one as a column.
    static func matmulSizes(_ a: Tensor, _ b: Tensor) -> (Int, Int, Int) {
        let (n, k) = a.rank == 2 ? (a.shape[0], a.shape[1]) : (1, a.shape[0])
        let m = b.rank == 2 ? b.shape[1] : 1
        return (n, k, m)
    }

    /// NumPy's matmul for 1-d and 2-d operands.
    public static func matmul(_ a: Tensor, _ b: Tensor, label: Label? = nil) throws -> Tensor {
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
        Engine.record(t, MatmulOperation.shared, a, b, label: label)
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
}
