import CKernels

/// NumPy's matmul for 1-d and 2-d operands.
final class MatmulOperation: Operation, @unchecked Sendable {  // immutable: shared by every thread
    static let shared = Operation.sharedInstance(MatmulOperation())

    override var symbol: String { "@" }
    override var rule: String { "d(A @ B)/dA = G @ Bᵀ, d(A @ B)/dB = Aᵀ @ G (G the upstream gradient)" }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor { try Tensor.matmul(inputs[0], inputs[1]) }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let a = node.a!, b = node.b!
        let (n, k, m) = Tensor.matmulSizes(a, b)
        // G is (n, m); B is (k, m) stored row-major, so Bᵀ uses transB
        if a.requiresGrad {
            let ga = try Tensor.mm(g, b.data, n, m, k, transA: false, transB: true)
            Backward.accumulate(ga, local: [], into: a, outShape: a.shape, via: node, upstream: g, trace: trace)
        }
        if b.requiresGrad {
            let gb = try Tensor.mm(a.data, g, k, n, m, transA: true, transB: false)
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
        // sizes read where the shapes are (`a.shape` copied the array: reference counting)
        let (n, k) = a.rank == 2 ? (a.storage!.shape[0], a.storage!.shape[1]) : (1, a.storage!.shape[0])
        let (k2, m) = b.rank == 2 ? (b.storage!.shape[0], b.storage!.shape[1]) : (b.storage!.shape[0], 1)
        guard k == k2 else { throw TensorError.matmulMismatch(a: a.shape, b: b.shape, k1: k, k2: k2) }
        let (count, overflow) = n.multipliedReportingOverflow(by: m)
        if overflow || count > Limits.maxElements { try Limits.count([n, m]) }
        // a transpose not written out yet is multiplied in place: its source, transposed (a
        // right operand of more than one column only where OpenBLAS takes it as it is: bp's
        // kernel would copy it upright for every product, so it is written out once instead)
        // B's address first: writing B's transpose out (`elements`) drops its source, which is
        // A's when A and B are one tensor (`t @ t`): A is then read written out too
        let bInPlace = m == 1 || (n * k * m >= Blas.minWork && Blas.dgemm != nil)
        let tb = bInPlace && b.storage!.pendingTranspose != nil
        let bd = tb ? b.storedElements : b.elements
        let ta = a.storage!.pendingTranspose != nil
        let ad = ta ? a.storedElements : a.elements
        // the result's shape: (n, m), (n,), (m,) or (); a kept storage's shape of that rank
        // is changed in place (`Tensor.make`)
        let rank = (a.rank == 2 ? 1 : 0) + (b.rank == 2 ? 1 : 0), first = a.rank == 2 ? n : m
        let shape = { (c: inout [Int]) in
            if c.count == rank {
                if rank >= 1 && c[0] != first { c[0] = first }
                if rank == 2 && c[1] != m { c[1] = m }
            } else {
                c = rank == 2 ? [n, m] : rank == 1 ? [first] : []
            }
        }
        let t: Tensor
        if count == 0 || k == 0 || (n * k * m >= Blas.minWork && Blas.dgemm != nil) {
            var s: [Int] = []
            shape(&s)
            t = Tensor(shape: s, data: try mm(ad, bd, n, k, m, transA: ta, transB: tb))
        } else {
            t = try make(count, shape: shape) { c in try mmSmall(ad, bd, c, n, k, m, transA: ta, transB: tb) }
        }
        Engine.record(t, MatmulOperation.shared, a, b, label: label)
        return t
    }

    /// op(A)(n,k) * op(B)(k,m) as a new row-major buffer. Each element sums its k products
    /// in order p = 0, 1, ... (a zero of A skipped) from 0, whatever the loop nest of
    /// `mmSmall`, so every small-shape path gives the same bits; large products go to
    /// OpenBLAS (`Blas`) when it is installed, into an uninitialised buffer (zero-filling
    /// 8 MB first cost 1–2 ms of a 1024×1024 product). Looks at the interrupt flag between
    /// blocks (the buffer is published only when complete).
    static func mm(_ A: [Double], _ B: [Double], _ n: Int, _ k: Int, _ m: Int,
                   transA: Bool, transB: Bool) throws -> [Double] {
        try A.withUnsafeBufferPointer { a in
            try B.withUnsafeBufferPointer { b in
                try mm(a.baseAddress ?? noElements, b.baseAddress ?? noElements, n, k, m, transA: transA, transB: transB)
            }
        }
    }

    /// `mm` of the elements at `a` and `b` (tensors' `elements`).
    static func mm(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int, _ k: Int, _ m: Int,
                   transA: Bool, transB: Bool) throws -> [Double] {
        let count = n * m
        if n * k * m >= Blas.minWork, let blas = Blas.dgemm {
            return try [Double](unsafeUninitializedCapacity: count) { c, initialized in
                try Blas.product(blas, a, b, c.baseAddress!, n, k, m, transA: transA, transB: transB)
                initialized = count
            }
        }
        if count == 0 || k == 0 { return zeros(count) }
        return try makeBuffer(count) { c in
            try mmSmall(a, b, c, n, k, m, transA: transA, transB: transB)
        }
    }

    /// C = op(A) op(B), C uninitialised: C's kernels (`CKernels`, AVX2 where the CPU has
    /// it) on blocks of rows, the interrupt flag looked at between blocks. A transposed B is
    /// first copied upright; a one-column result has a kernel of its own (each lane its own
    /// row's sum: a single dot product is a chain of dependent additions, `a1.T @ dz2`, 300
    /// long, ran at the adder's latency).
    static func mmSmall(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                        _ n: Int, _ k: Int, _ m: Int, transA: Bool, transB: Bool) throws {
        if transB && m > 1 {
            let upright = transposed(Array(UnsafeBufferPointer(start: b, count: k * m)), m, k)
            return try upright.withUnsafeBufferPointer {
                try mmSmall(a, $0.baseAddress!, c, n, k, m, transA: transA, transB: false)
            }
        }
        // A's element (i, p) is at i * ai + p * ap
        let (ai, ap) = transA ? (1, n) : (k, 1)
        // The fast kernels do not skip A's zeros. A sum starts at +0 and so is never -0 (x + y
        // is -0 only when both are): adding 0 * b = +-0 for a finite b changes nothing, and
        // 0 * inf or 0 * nan makes the element nan. So they give the skipping kernel's
        // numbers wherever their result is not nan: check the smaller of B (before) and C
        // (after), and where it is not all finite use the skipping kernel.
        let checkFirst = k <= n
        let fast = !checkFirst || bp_all_finite(b, k * m) != 0
        try byRows(n, k * m) { i0, i1 in
            if !fast {
                bp_mm_rows(a, b, c, i0, i1, k, m, ai, ap)
            } else if m == 1 {
                // B a column (transposed or not, the same numbers in the same order)
                bp_mm_column(a, b, c, i0, i1, k, ai, ap)
            } else {
                bp_mm_rows_finite(a, b, c, i0, i1, k, m, ai, ap)
            }
        }
        if fast && !checkFirst && bp_all_finite(c, n * m) == 0 {
            try byRows(n, k * m) { i0, i1 in bp_mm_rows(a, b, c, i0, i1, k, m, ai, ap) }
        }
    }

    /// `body(i0, i1)` for blocks of the rows 0 ..< n of a result whose rows each cost
    /// `work`, the interrupt flag looked at between blocks.
    @inline(__always)
    static func byRows(_ n: Int, _ work: Int, _ body: (Int, Int) -> Void) throws {
        let rowsPerPoll = Swift.max(1, Engine.pollInterval / Swift.max(1, work))
        var i0 = 0
        while i0 < n {
            if i0 > 0 { try Engine.poll() }
            let i1 = Swift.min(n, i0 + rowsPerPoll)
            body(i0, i1)
            i0 = i1
        }
    }
}
