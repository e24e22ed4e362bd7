import CKernels

/// NumPy broadcasting: shapes are aligned at their last axis; a size of 1 stretches.
public enum Broadcast {
    /// The broadcast shape of `a` and `b`, or nil when they do not broadcast.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        if a == b { return a }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// The broadcast shape of an operation's operands, checked against the element limit
    /// before anything is allocated; an error naming both shapes when they do not broadcast.
    public static func result(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        guard let s = shape(a, b) else { throw TensorError.shapeMismatch(op: op, a: a, b: b) }
        if s != a && s != b { try Limits.count(s) }
        return s
    }

    /// True when `shape` (leading 1s aside) is the trailing part of `outShape`: then the
    /// element broadcast to output position i is simply `i % count` (a bias row, a scalar).
    @inline(__always)
    public static func isSuffix(_ shape: [Int], of outShape: [Int]) -> Bool {
        var i = shape.count - 1, j = outShape.count - 1
        while i >= 0 && j >= 0 && shape[i] == outShape[j] { i -= 1; j -= 1 }
        while i >= 0 { if shape[i] != 1 { return false }; i -= 1 }
        return true
    }

    /// For every element of `outShape` (row-major), the offset of the element of an operand
    /// of shape `shape` that broadcasts to it.
    public static func offsets(of shape: [Int], in outShape: [Int]) -> [Int] {
        let n = outShape.count
        var steps = [Int](repeating: 0, count: n)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            steps[i + (n - shape.count)] = shape[i] == 1 ? 0 : s
            s *= shape[i]
        }
        return offsets(steps: steps, over: outShape)
    }

    /// Walks `outShape` in row-major order and gives, for each position, the sum of its
    /// indices times `steps` (a broadcast stride of 0, or a permutation's strides).
    public static func offsets(steps: [Int], over outShape: [Int]) -> [Int] {
        let n = outShape.count
        let total = outShape.reduce(1, *)
        var result = [Int](repeating: 0, count: total)
        if total == 0 { return result }
        var index = [Int](repeating: 0, count: n)
        var offset = 0
        for k in 0..<total {
            result[k] = offset
            var d = n - 1
            while d >= 0 {
                index[d] += 1
                offset += steps[d]
                if index[d] < outShape[d] { break }
                offset -= steps[d] * index[d]
                index[d] = 0
                d -= 1
            }
        }
        return result
    }

    /// `f` applied to the elements of `a` and `b` broadcast together, as a new constant
    /// tensor: the one broadcasting loop of every element-wise function of two tensors
    /// (arithmetic, comparisons, `close`). Looks at the interrupt flag between blocks.
    public static func zip(_ a: Tensor, _ b: Tensor, op: String, _ f: (Double, Double) -> Double) throws -> Tensor {
        try zipInline(a, b, op: op, f)
    }

    /// `zip`, inlined where the caller passes a literal closure (`Tensor.binary` does, one
    /// per function): the loops then run the operation itself instead of a call and a
    /// switch per element (`z1 + b1` on (300, 20): 9 µs before, the switch on the function
    /// in every iteration and a division for the row index). With `kernel` (+ - * /), the
    /// usual shapes go to `CKernels`' loops instead (AVX2 where the CPU has it; the same bits).
    @inline(__always)
    static func zipInline(_ a: Tensor, _ b: Tensor, op: String, kernel: Int32? = nil,
                          _ f: (Double, Double) -> Double) throws -> Tensor {
        if a.sameStoredShape(b) {
            // one shape (the usual case): the elements read where they are (`elements`)
            let n = a.storage!.count
            let x = a.elements, y = b.elements
            return try Tensor.make(n, shapeOf: a) { o in
                if let kernel {
                    try Tensor.chunks(n) { r in bp_zip(kernel, x + r.lowerBound, y + r.lowerBound, o + r.lowerBound, r.count) }
                } else {
                    try Tensor.chunks(n) { r in for i in r { o[i] = f(x[i], y[i]) } }
                }
            }
        }
        let s = try result(a.shape, b.shape, op: op)
        let n = s.reduce(1, *)
        // the elements where they are (an inline number from a copy of it)
        let na = a.count, nb = b.count
        var a0 = a.value0, b0 = b.value0
        let out = try withUnsafePointer(to: &a0) { pa0 in
            try withUnsafePointer(to: &b0) { pb0 in
                try makeBuffer(n) { o in
                    let x = a.isInline ? pa0 : a.elements, y = b.isInline ? pb0 : b.elements
                    if na == n && nb == n && a.shape == b.shape {
                        if let kernel {
                            try Tensor.chunks(n) { r in bp_zip(kernel, x + r.lowerBound, y + r.lowerBound, o + r.lowerBound, r.count) }
                        } else {
                            try Tensor.chunks(n) { r in for i in r { o[i] = f(x[i], y[i]) } }
                        }
                    } else if na == n && nb == 1 {
                        let c = y[0]
                        if let kernel {
                            try Tensor.chunks(n) { r in bp_zip_number(kernel, x + r.lowerBound, c, 0, o + r.lowerBound, r.count) }
                        } else {
                            try Tensor.chunks(n) { r in for i in r { o[i] = f(x[i], c) } }
                        }
                    } else if nb == n && na == 1 {
                        let c = x[0]
                        if let kernel {
                            try Tensor.chunks(n) { r in bp_zip_number(kernel, y + r.lowerBound, c, 1, o + r.lowerBound, r.count) }
                        } else {
                            try Tensor.chunks(n) { r in for i in r { o[i] = f(c, y[i]) } }
                        }
                    } else if na == n && isSuffix(b.shape, of: s) {
                        // (n, m) with a (1, m) or (m,) row: row by row, no index arrays
                        try rows(n, nb) { i, rows, m in
                            if let kernel { return bp_zip_rows(kernel, x + i, y, 0, o + i, rows, m) }
                            for r in 0..<rows {
                                let xi = x + i + r * m, oi = o + i + r * m
                                for j in 0..<m { oi[j] = f(xi[j], y[j]) }
                            }
                        }
                    } else if nb == n && isSuffix(a.shape, of: s) {
                        try rows(n, na) { i, rows, m in
                            if let kernel { return bp_zip_rows(kernel, y + i, x, 1, o + i, rows, m) }
                            for r in 0..<rows {
                                let yi = y + i + r * m, oi = o + i + r * m
                                for j in 0..<m { oi[j] = f(x[j], yi[j]) }
                            }
                        }
                    } else {
                        let oa = offsets(of: a.shape, in: s), ob = offsets(of: b.shape, in: s)
                        try Tensor.chunks(n) { r in for i in r { o[i] = f(x[oa[i]], y[ob[i]]) } }
                    }
                }
            }
        }
        return Tensor(shape: s, data: out)
    }

    /// Calls `body(start, rows, m)` for blocks of whole rows of m elements of 0..<n (m > 0
    /// divides n), looking at the interrupt flag between blocks (`Tensor.byRows`).
    @inline(__always)
    static func rows(_ n: Int, _ m: Int, _ body: (Int, Int, Int) -> Void) throws {
        try Tensor.byRows(n / m, m) { r0, r1 in body(r0 * m, r1 - r0, m) }
    }

    /// The elements of `t` broadcast to `shape` (row-major), for the backward kernels.
    static func expand(_ t: Tensor, to shape: [Int]) -> [Double] {
        let d = t.data
        if t.shape == shape { return d }
        let n = shape.reduce(1, *)
        if d.count == 1 { return [Double](repeating: d[0], count: n) }
        if isSuffix(t.shape, of: shape) { return (0..<n).map { d[$0 % d.count] } }
        return offsets(of: t.shape, in: shape).map { d[$0] }
    }

    /// Sums a gradient of `outShape` back to an operand of `shape` and adds it to `into`.
    static func accumulate(_ g: UnsafeBufferPointer<Double>, outShape: [Int], to shape: [Int],
                           into: inout [Double]) {
        if shape == outShape {
            into.withUnsafeMutableBufferPointer { d in
                if let dp = d.baseAddress, let gp = g.baseAddress { addInto(dp, gp, g.count, fresh: false) }
            }
        } else if into.count == 1 {
            var s = 0.0
            for v in g { s += v }
            into[0] += s
        } else if isSuffix(shape, of: outShape) {
            // a row (a bias) broadcast down the rows: each row of g added in turn
            let m = into.count
            into.withUnsafeMutableBufferPointer { d in
                guard let dp = d.baseAddress, let gp = g.baseAddress else { return }
                bp_add_rows_into(dp, gp, g.count / m, m)
            }
        } else {
            let offs = offsets(of: shape, in: outShape)
            into.withUnsafeMutableBufferPointer { d in
                for i in 0..<g.count { d[offs[i]] += g[i] }
            }
        }
    }
}

/// "(4,2)" as NumPy prints a shape; "()" for a number.
public func describeShape(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ",") + ")"
}
