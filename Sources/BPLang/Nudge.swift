import BPTensor

/// `nudge(f, x, h)`: the gradient's prediction of how f changes when every element of x moves
/// by h (grad · h), against the change measured by replaying f's graph with x + h.
struct Nudge {
    let predicted: Double
    let actual: Double
    let gradient: [Double]

    init(_ f: Tensor, _ x: Tensor, h: Double) throws {
        guard f.count == 1 else { throw BPError.runtime(TensorError.notScalar(shape: f.shape).message) }
        gradient = try Backward.gradients(f, [x], createGraph: false)[0].data
        predicted = gradient.reduce(0, +) * h
        let order = Backward.topologicalOrder(f)
        if order.contains(where: { $0 === x }) {
            let moved = try Replay.evaluate(f, order: order, overriding: x, with: x.data.map { $0 + h })
            actual = moved[0] - f.scalar
        } else {
            actual = 0
        }
    }

    /// Enough digits to see where prediction and measurement part (`0.012` against `0.012006`).
    static func digits(_ x: Double) -> String { Formatter.cFormat("%.7g", x) }

    func text(f: String, x: String, h: Double, formatter: Formatter) -> String {
        let slope = gradient.count == 1 ? "d\(f)/d\(x)" : "sum(d\(f)/d\(x))"
        let g = formatter.number(gradient.reduce(0, +))
        var s = "nudge \(x) by h = \(formatter.number(h))\(gradient.count > 1 ? " (every element)" : ""):\n"
        s += "  predicted change  \(slope) * h = \(g) * \(formatter.number(h)) = \(Nudge.digits(predicted))\n"
        s += "  actual change     \(f)(\(x) + h) - \(f)(\(x)) = \(Nudge.digits(actual))\n"
        if predicted != 0 {
            s += "  actual / predicted = \(Formatter.cFormat("%.6f", actual / predicted))\n"
        } else {
            s += "  actual / predicted: undefined (the predicted change is 0)\n"
        }
        return s
    }
}
