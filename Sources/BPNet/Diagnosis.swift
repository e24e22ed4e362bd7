import BPTensor
import Foundation

/// `diagnose(net, X, y)`: one forward and backward pass on the data, then what it shows
/// per dense layer — the gradient's size, the size an SGD step would have next to the
/// weights, dead ReLU units, saturated sigmoid/tanh inputs — and the verdicts drawn from
/// them. The gradients of the model are left as the backward pass set them.
public struct Diagnosis {
    /// A sigmoid or tanh input beyond this magnitude is saturated (sigmoid's slope < 0.018).
    public static let saturation = 4.0
    /// An SGD step larger than the weights themselves (in norm) diverges; steps of about
    /// 0.001 to 0.01 of the weights learn steadily.
    public static let divergingUpdate = 1.0
    /// More than this share of dead or saturated units is reported.
    public static let badShare = 0.5

    public struct Layer {
        public let name: String
        public let shape: [Int]
        public let activation: String?
        /// mean |W.grad| (as `gradnorms`), and the norm of W.grad.
        public let meanAbsGrad: Double, gradNorm: Double
        /// lr * |W.grad| / |W|: how large one SGD step is next to the weights.
        public let updateRatio: Double
        /// ReLU layers: the share of units dead on the data.
        public let deadShare: Double?
        /// Sigmoid and tanh layers: the share of inputs with |z| > 4.
        public let saturatedShare: Double?
    }

    public enum Finding: Equatable {
        /// The loss or a gradient is nan or inf.
        case nonFinite
        /// Every gradient is zero: nothing would learn.
        case noGradient
        case vanishing(layer: String, ratio: Double, firstRatio: Double)
        case exploding(layer: String, ratio: Double, firstRatio: Double)
        /// One SGD step at `lr` changes `layer`'s weights by `ratio` times their norm;
        /// `suggested`, a power of ten, makes the largest step at most 0.01 of the weights.
        case diverging(layer: String, ratio: Double, lr: Double, suggested: Double)
        case dead(layer: String, share: Double)
        case saturated(layer: String, activation: String, share: Double)
    }

    public let loss: String
    public let lossValue: Double
    public let samples: Int
    public let lr: Double
    public let layers: [Layer]
    /// The norm of every parameter's gradient together (what `clip_grad` measures).
    public let totalNorm: Double
    public let findings: [Finding]

    /// The factor `clip_grad(net, 1)` would scale the gradients by (1: unchanged).
    public var clipFactor: Double { Swift.min(1, 1 / (totalNorm + 1e-6)) }

    /// Runs one forward pass on X, the loss against y (`loss` nil: chosen by `autoLoss`), and
    /// backward. `lr` is the learning rate the update ratios are computed for.
    public init(_ model: Module, _ X: Tensor, _ y: Tensor, loss given: Loss?, lr: Double) throws {
        guard X.rank == 2, y.rank >= 1, X.shape[0] == y.shape[0] else { throw NetError.trainShapes(x: X.shape, y: y.shape) }
        guard X.shape[0] > 0 else { throw NetError.emptyData }
        let x = Tensor(shape: X.shape, data: X.data), t = Tensor(shape: y.shape, data: y.data)
        let walked = ActivatedLayer.walk(model)
        guard !walked.isEmpty else { throw NetError.noDenseLayer }
        let (trace, lossFunction, value) = try Engine.current.withGrad(true) { () throws -> (TracedForward, Loss, Tensor) in
            let trace = try TracedForward(model, x)
            let lossFunction = try given ?? Diagnosis.autoLoss(trace, t)
            let value = try lossFunction(trace.output, t)
            guard value.count == 1 else { throw TensorError.notScalar(shape: value.shape) }
            try Backward.run(value)
            return (trace, lossFunction, value)
        }
        loss = lossFunction.name
        lossValue = value.scalar
        samples = X.shape[0]
        self.lr = lr
        let dead = DeadUnits(walked, trace.preActivations)
        let norms = GradientNorms(walked)
        var layers: [Layer] = []
        for (k, l) in walked.enumerated() {
            let g = l.dense.W.grad ?? []
            let gradNorm = Diagnosis.norm(g), weightNorm = Diagnosis.norm(l.dense.W.data)
            var saturated: Double? = nil
            if l.isActivation(.sigmoid) || l.isActivation(.tanh) {
                let z = trace.preActivations[k].data
                saturated = Double(z.filter { Swift.abs($0) > Diagnosis.saturation }.count) / Double(Swift.max(z.count, 1))
            }
            layers.append(Layer(name: l.name, shape: l.dense.W.shape, activation: l.activation?.name,
                                meanAbsGrad: norms?.layers[k].meanAbs ?? 0, gradNorm: gradNorm,
                                updateRatio: weightNorm > 0 ? lr * gradNorm / weightNorm : .infinity,
                                deadShare: dead.layers.first { $0.name == l.name }?.share, saturatedShare: saturated))
        }
        self.layers = layers
        let parameters = model.parameters
        totalNorm = ClipGrad.totalNorm(parameters)
        findings = Diagnosis.findings(value.scalar, totalNorm, layers, norms, lr)
    }

    static func findings(_ loss: Double, _ totalNorm: Double, _ layers: [Layer], _ norms: GradientNorms?, _ lr: Double) -> [Finding] {
        guard loss.isFinite, totalNorm.isFinite else { return [.nonFinite] }
        var found: [Finding] = totalNorm == 0 ? [.noGradient] : []
        switch norms?.verdict ?? .healthy {
        case .healthy: break
        case let .vanishing(layer, ratio, first): found.append(.vanishing(layer: layer, ratio: ratio, firstRatio: first))
        case let .exploding(layer, ratio, first): found.append(.exploding(layer: layer, ratio: ratio, firstRatio: first))
        }
        if let worst = layers.filter({ $0.updateRatio.isFinite }).max(by: { $0.updateRatio < $1.updateRatio }),
           worst.updateRatio > divergingUpdate {
            let suggested = Foundation.pow(10, (Foundation.log10(lr * 0.01 / worst.updateRatio)).rounded(.down))
            found.append(.diverging(layer: worst.name, ratio: worst.updateRatio, lr: lr, suggested: suggested))
        }
        for l in layers {
            if let s = l.deadShare, s > badShare { found.append(.dead(layer: l.name, share: s)) }
            if let s = l.saturatedShare, s > badShare { found.append(.saturated(layer: l.name, activation: l.activation ?? "", share: s)) }
        }
        return found
    }

    /// SPEC §8's choice: `bce` when the model ends in sigmoid, `cross_entropy` when it outputs
    /// several columns and y holds class labels (whole numbers, one per row), else `mse`.
    public static func autoLoss(_ trace: TracedForward, _ y: Tensor) throws -> Loss {
        if trace.lastActivation?.unary == .sigmoid { return Loss.named("bce")! }
        let out = trace.output
        if out.rank == 2, out.shape[1] > 1, y.shape == [out.shape[0]] || y.shape == [out.shape[0], 1],
           y.data.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < Double(out.shape[1]) }) {
            return Loss.named("cross_entropy")!
        }
        return Loss.named("mse")!
    }

    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
