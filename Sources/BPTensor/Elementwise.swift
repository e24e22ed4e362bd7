import Foundation

/// Element-wise functions of one tensor. Each case's derivative sits beside its forward rule.
public enum UnaryOp: String, CaseIterable {
    case neg, exp, log, sqrt, abs, sin, cos, tan, tanh, sigmoid, relu, softplus
    /// Not differentiable: their gradient is zero (as NumPy-style code treats them).
    case floor, ceil

    @inline(__always)
    public func apply(_ x: Double) -> Double {
        switch self {
        case .neg: return -x
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .abs: return Swift.abs(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tan: return Foundation.tan(x)
        case .tanh: return Foundation.tanh(x)
        case .sigmoid:
            // stable for large |x|
            if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
            let z = Foundation.exp(x)
            return z / (1 + z)
        case .relu: return x > 0 ? x : 0
        case .softplus: return Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .floor: return Foundation.floor(x)
        case .ceil: return Foundation.ceil(x)
        }
    }

    /// dy/dx given the input x and the output y.
    @inline(__always)
    public func derivative(x: Double, y: Double) -> Double {
        switch self {
        case .neg: return -1
        case .exp: return y
        case .log: return 1 / x
        case .sqrt: return 0.5 / y
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .sin: return Foundation.cos(x)
        case .cos: return -Foundation.sin(x)
        case .tan: return 1 + y * y
        case .tanh: return 1 - y * y
        case .sigmoid: return y * (1 - y)
        case .relu: return x > 0 ? 1 : 0  // the derivative at 0 is 0
        case .softplus: return UnaryOp.sigmoid.apply(x)
        case .floor, .ceil: return 0
        }
    }
}

/// Element-wise functions of two tensors, broadcast as NumPy does.
public enum BinaryOp: String, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", pow = "^", mod = "%", maximum, minimum

    @inline(__always)
    public func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return Foundation.pow(a, b)
        case .mod:
            // floor modulo, as Python and NumPy define %; whole operands (loop counters)
            // take the integer path, which is exact there and much cheaper than fmod
            if Swift.abs(a) < 9e15, Swift.abs(b) < 9e15, b != 0, Double(Int64(a)) == a, Double(Int64(b)) == b {
                let r = Int64(a) % Int64(b)
                return Double(r != 0 && ((r < 0) != (b < 0)) ? r + Int64(b) : r)
            }
            let r = Foundation.fmod(a, b)
            return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
        case .maximum: return a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .minimum: return a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        }
    }

    /// (dy/da, dy/db) given the operands and the result.
    @inline(__always)
    public func derivatives(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) {
        switch self {
        case .add: return (1, 1)
        case .sub: return (1, -1)
        case .mul: return (b, a)
        case .div: return (1 / b, -a / (b * b))
        case .pow:
            let da = b == 0 ? 0 : b * Foundation.pow(a, b - 1)
            let db = a > 0 ? y * Foundation.log(a) : (a == 0 ? 0 : .nan)
            return (da, db)
        case .mod: return (1, -Foundation.floor(a / b))
        // ties share the gradient equally, as PyTorch's maximum/minimum do
        case .maximum: return a > b ? (1, 0) : (a < b ? (0, 1) : (0.5, 0.5))
        case .minimum: return a < b ? (1, 0) : (a > b ? (0, 1) : (0.5, 0.5))
        }
    }
}

extension Tensor {
    /// Runs `body` over 0..<n in blocks of `Engine.pollInterval`, looking at the interrupt
    /// flag between blocks (the caller writes into a buffer it has not published yet).
    @inline(__always)
    static func chunks(_ n: Int, _ body: (Range<Int>) throws -> Void) throws {
        if n <= Engine.pollInterval { return try body(0..<n) }
        var start = 0
        while start < n {
            try Engine.poll()
            let end = Swift.min(n, start + Engine.pollInterval)
            try body(start..<end)
            start = end
        }
    }

    /// Applies a unary function, recording the node when `x` requires a gradient.
    public static func unary(_ op: UnaryOp, _ x: Tensor, site: Int32 = -1) throws -> Tensor {
        let out: [Double]
        if x.count == 1 {
            out = [op.apply(x.data[0])]
        } else {
            out = try x.data.withUnsafeBufferPointer { src in
                try [Double](unsafeUninitializedCapacity: src.count) { dst, n in
                    try chunks(src.count) { r in for i in r { dst[i] = op.apply(src[i]) } }
                    n = src.count
                }
            }
        }
        let t = Tensor(shape: x.shape, data: out)
        Graph.record(t, .unary(op), x, site: site)
        return t
    }

    /// Applies a binary function with broadcasting, recording the node when needed.
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, site: Int32 = -1) throws -> Tensor {
        let shape: [Int]
        var out: [Double]
        if a.shape == b.shape {
            shape = a.shape
            out = [Double](repeating: 0, count: a.count)
            try out.withUnsafeMutableBufferPointer { o in
                try a.data.withUnsafeBufferPointer { x in
                    try b.data.withUnsafeBufferPointer { y in
                        try chunks(o.count) { r in for i in r { o[i] = op.apply(x[i], y[i]) } }
                    }
                }
            }
        } else {
            let s = try Broadcast.result(a.shape, b.shape, op: op.rawValue)
            shape = s
            let n = s.reduce(1, *)
            out = [Double](repeating: 0, count: n)
            if b.count == 1 && a.count == n {
                let y = b.data[0]
                try out.withUnsafeMutableBufferPointer { o in
                    try a.data.withUnsafeBufferPointer { x in try chunks(n) { r in for i in r { o[i] = op.apply(x[i], y) } } }
                }
            } else if a.count == 1 && b.count == n {
                let x = a.data[0]
                try out.withUnsafeMutableBufferPointer { o in
                    try b.data.withUnsafeBufferPointer { y in try chunks(n) { r in for i in r { o[i] = op.apply(x, y[i]) } } }
                }
            } else if a.count == n && Broadcast.isSuffix(b.shape, of: s) {
                // (n, m) with a (1, m) or (m,) row: no index arrays
                let m = b.count
                try out.withUnsafeMutableBufferPointer { o in
                    try a.data.withUnsafeBufferPointer { x in
                        try b.data.withUnsafeBufferPointer { y in
                            try chunks(n) { r in for i in r { o[i] = op.apply(x[i], y[i % m]) } }
                        }
                    }
                }
            } else if b.count == n && Broadcast.isSuffix(a.shape, of: s) {
                let m = a.count
                try out.withUnsafeMutableBufferPointer { o in
                    try a.data.withUnsafeBufferPointer { x in
                        try b.data.withUnsafeBufferPointer { y in
                            try chunks(n) { r in for i in r { o[i] = op.apply(x[i % m], y[i]) } }
                        }
                    }
                }
            } else {
                let oa = Broadcast.offsets(of: a.shape, in: s)
                let ob = Broadcast.offsets(of: b.shape, in: s)
                try chunks(n) { r in for i in r { out[i] = op.apply(a.data[oa[i]], b.data[ob[i]]) } }
            }
        }
        let t = Tensor(shape: shape, data: out)
        Graph.record(t, .binary(op), a, b, site: site)
        return t
    }
}

/// A fixed selection of elements (indexing, slicing, transposing): `out[i] = x[offsets[i]]`,
/// whose gradient scatters back with `+=`.
public final class Gather {
    public let offsets: [Int]
    public init(_ offsets: [Int]) { self.offsets = offsets }
}

extension Tensor {
    public static func gather(_ x: Tensor, _ g: Gather, shape: [Int], site: Int32 = -1) -> Tensor {
        let out = g.offsets.map { x.data[$0] }
        let t = Tensor(shape: shape, data: out)
        Graph.record(t, .gather(g), x, site: site)
        return t
    }
}
