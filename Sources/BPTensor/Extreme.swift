/// `max(x, axis)` and `min(x, axis)`: the reduced value carries the gradient to the element
/// that is largest (smallest), split evenly over ties. A primitive: replaying the graph with
/// another x finds the extreme element again.
final class ExtremeOperation: Operation {
    let largest: Bool
    /// For each input element, the output element it is reduced into.
    let map: [Int]
    let axes: [Int]?
    let keepdims: Bool

    init(largest: Bool, map: [Int], axes: [Int]?, keepdims: Bool) {
        self.largest = largest
        self.map = map
        self.axes = axes
        self.keepdims = keepdims
    }

    override var symbol: String { largest ? "max" : "min" }
    override var rule: String {
        "d \(symbol)(x)/dx = 1 at the \(largest ? "largest" : "smallest") element (shared equally by ties), 0 elsewhere"
    }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        try Tensor.extreme(inputs[0], axes: axes, keepdims: keepdims, largest: largest)
    }

    /// Each input element's share of its output's gradient.
    func weights(_ x: [Double], _ best: [Double]) -> [Double] {
        var count = [Double](repeating: 0, count: best.count)
        func hit(_ i: Int) -> Bool { x[i] == best[map[i]] || (x[i].isNaN && best[map[i]].isNaN) }
        for i in 0..<x.count where hit(i) { count[map[i]] += 1 }
        return (0..<x.count).map { hit($0) ? 1 / count[map[$0]] : 0 }
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        let w = weights(x.data, node.data)
        Backward.accumulate((0..<x.count).map { g[map[$0]] * w[$0] }, local: w, into: x, outShape: x.shape,
                            via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let x = node.a!
        let w = Tensor(shape: x.shape, data: weights(x.data, node.data))
        return [try Tensor.binary(.mul, Tensor.gather(g, map, shape: x.shape), w)]
    }
}

extension Tensor {
    /// The largest (smallest) element over `axes` (all when nil); nan when any element is.
    public static func extreme(_ x: Tensor, axes: [Int]?, keepdims: Bool, largest: Bool, label: Label? = nil) throws -> Tensor {
        if x.count == 0 { throw TensorError.emptyReduction(largest ? "max" : "min") }
        let (_, outShape, map) = reduction(x.shape, axes: axes, keepdims: keepdims)
        var best = [Double](repeating: largest ? -.infinity : .infinity, count: outShape.reduce(1, *))
        let d = x.data
        for i in 0..<d.count {
            let v = d[i], o = map[i]
            if v.isNaN || best[o].isNaN { best[o] = .nan } else if largest ? v > best[o] : v < best[o] { best[o] = v }
        }
        let t = Tensor(shape: outShape, data: best)
        Engine.record(t, ExtremeOperation(largest: largest, map: map, axes: axes, keepdims: keepdims), x, label: label)
        return t
    }
}
