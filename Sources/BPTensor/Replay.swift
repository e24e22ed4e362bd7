/// Re-evaluates a recorded graph forward with one tensor's values replaced, leaving the
/// graph untouched: the basis of `numgrad` (central differences through any node). Every
/// operation recomputes its value from its replayed inputs (`Operation.evaluate`), kinks
/// included (`clip`, `leaky_relu`, `max`); only a `where` mask, which is data, stays as it was.
public enum Replay {
    public static func evaluate(_ root: Tensor, order: [Tensor], overriding x: Tensor, with values: [Double]) throws -> [Double] {
        try Engine.current.withGrad(false) {
            var current: [ObjectIdentifier: Tensor] = [ObjectIdentifier(x): Tensor(shape: x.shape, data: values)]
            func value(_ t: Tensor) -> Tensor { current[ObjectIdentifier(t)] ?? t }
            var work = 0
            for t in order where t !== x {
                guard let op = t.op else { continue }
                work += t.count
                if work >= Engine.pollInterval {
                    work = 0
                    try Engine.poll()
                }
                current[ObjectIdentifier(t)] = try op.evaluate(t, t.inputs.map(value))
            }
            return value(root).data
        }
    }

    /// d(root)/dx by central differences, element by element; zeros when x is not in the graph.
    /// Ctrl-C stops it between two evaluations (it changes nothing, so nothing is half-done).
    public static func numericGradient(_ root: Tensor, _ x: Tensor, h: Double = 1e-5) throws -> [Double] {
        let order = Backward.topologicalOrder(root)
        guard order.contains(where: { $0 === x }) else { return [Double](repeating: 0, count: x.count) }
        var g = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            var plus = x.data, minus = x.data
            plus[i] += h
            minus[i] -= h
            try Engine.poll()
            let fp = try evaluate(root, order: order, overriding: x, with: plus)
            let fm = try evaluate(root, order: order, overriding: x, with: minus)
            var s = 0.0
            for k in 0..<fp.count { s += fp[k] - fm[k] }
            g[i] = s / (2 * h)
        }
        return g
    }
}
