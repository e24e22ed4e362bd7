import BPTensor

/// The size of each dense layer's weight gradient, as the mean absolute value of `W.grad`,
/// and its ratio to the last layer's: far below 1 toward the input, the gradient vanishes
/// (the early layers barely learn); far above, it explodes.
public struct GradientNorms {
    /// Below this ratio to the last layer, a layer's gradient has vanished.
    public static let vanishingRatio = 0.01
    /// Above this ratio to the last layer, a layer's gradient has exploded.
    public static let explodingRatio = 10.0

    public struct Layer {
        public let name: String
        public let meanAbs: Double
        /// meanAbs over the last layer's; nil when the last layer's gradient is all zero.
        public let ratio: Double?
    }

    public enum Verdict: Equatable {
        case healthy
        /// `layer` is the one nearest the output whose ratio is below `vanishingRatio`;
        /// `firstRatio` is the first layer's.
        case vanishing(layer: String, ratio: Double, firstRatio: Double)
        /// The same nearest the output above `explodingRatio`.
        case exploding(layer: String, ratio: Double, firstRatio: Double)
    }

    public let layers: [Layer]

    /// From the current gradients; nil when a layer's `W` has none yet (no backward reached it).
    public init?(_ layers: [ActivatedLayer]) {
        var means: [Double] = []
        for l in layers {
            guard let g = l.dense.W.grad else { return nil }
            means.append(g.reduce(0) { $0 + Swift.abs($1) } / Double(Swift.max(g.count, 1)))
        }
        let last = means.last ?? 0
        self.layers = zip(layers, means).map { l, m in
            Layer(name: l.name, meanAbs: m, ratio: last > 0 && last.isFinite ? m / last : nil)
        }
    }

    public var verdict: Verdict {
        guard layers.count >= 2, let first = layers[0].ratio else { return .healthy }
        for l in layers.reversed() {
            guard let r = l.ratio else { continue }
            if r < GradientNorms.vanishingRatio { return .vanishing(layer: l.name, ratio: r, firstRatio: first) }
            if r > GradientNorms.explodingRatio { return .exploding(layer: l.name, ratio: r, firstRatio: first) }
        }
        return .healthy
    }
}
