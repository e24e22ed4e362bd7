/// Element-wise functions with a kink and parameters: `clip(x, lo, hi)` and
/// `leaky_relu(x, slope)`. They are primitives (not built from masks computed once), so
/// replaying the graph with another x (`numgrad`, `nudge`) recomputes which side of the kink
/// each element is on.
final class PiecewiseOperation: Operation {
    enum Kind {
        case clip(lo: Double, hi: Double)
        case leakyRelu(slope: Double)
    }
    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    @inline(__always) func apply(_ x: Double) -> Double {
        switch kind {
        case .clip(let lo, let hi): return x.isNaN ? x : Swift.min(Swift.max(x, lo), hi)
        case .leakyRelu(let slope): return x > 0 ? x : slope * x
        }
    }

    /// The derivative: clip's is 1 between the bounds (inclusive, as PyTorch's clamp).
    @inline(__always) func derivative(_ x: Double) -> Double {
        switch kind {
        case .clip(let lo, let hi): return x >= lo && x <= hi ? 1 : 0
        case .leakyRelu(let slope): return x > 0 ? 1 : slope
        }
    }

    override var symbol: String {
        switch kind {
        case .clip: return "clip"
        case .leakyRelu: return "leaky_relu"
        }
    }

    override var rule: String {
        switch kind {
        case .clip(let lo, let hi): return "d clip(x, \(Labels.formatShort(lo)), \(Labels.formatShort(hi)))/dx = 1 where lo <= x <= hi, else 0"
        case .leakyRelu(let slope): return "d leaky_relu(x)/dx = 1 if x > 0, else the slope \(Labels.formatShort(slope))"
        }
    }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor { try Tensor.piecewise(kind, inputs[0]) }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        if trace == nil {
            // only the products, the kind chosen outside the loop (a switch and a closure per
            // element were 60 instructions an element of bce's clip)
            let add: [Double]
            switch kind {
            case .clip(let lo, let hi): add = try Tensor.zip3(g, x.data, g) { g, x, _ in g * (x >= lo && x <= hi ? 1 : 0) }
            case .leakyRelu(let slope): add = try Tensor.zip3(g, x.data, g) { g, x, _ in g * (x > 0 ? 1 : slope) }
            }
            Backward.accumulate(add, local: [], into: x, outShape: node.shape, via: node, upstream: g, trace: nil)
            return
        }
        let local = x.data.map(derivative)
        Backward.accumulate((0..<g.count).map { g[$0] * local[$0] }, local: local, into: x, outShape: node.shape,
                            via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let x = node.a!
        return [try Tensor.binary(.mul, g, Tensor.elementwise(x.shape, x.data, derivative))]
    }
}

extension Tensor {
    /// `clip(x, lo, hi)`, recorded as one node.
    public static func clip(_ x: Tensor, _ lo: Double, _ hi: Double, label: Label? = nil) throws -> Tensor {
        try piecewise(.clip(lo: lo, hi: hi), x, label: label)
    }

    /// `leaky_relu(x, slope)`, recorded as one node.
    public static func leakyRelu(_ x: Tensor, slope: Double, label: Label? = nil) throws -> Tensor {
        try piecewise(.leakyRelu(slope: slope), x, label: label)
    }

    static func piecewise(_ kind: PiecewiseOperation.Kind, _ x: Tensor, label: Label? = nil) throws -> Tensor {
        let op = PiecewiseOperation(kind)
        let t: Tensor
        switch kind {
        case .clip(let lo, let hi): t = Tensor(shape: x.shape, data: try map(x.data) { $0.isNaN ? $0 : Swift.min(Swift.max($0, lo), hi) })
        case .leakyRelu(let slope): t = Tensor(shape: x.shape, data: try map(x.data) { $0 > 0 ? $0 : slope * $0 })
        }
        Engine.record(t, op, x, label: label)
        return t
    }
}
