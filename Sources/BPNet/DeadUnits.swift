import BPTensor

/// ReLU units that never activate on a data set: every sample gives the unit a
/// pre-activation <= 0, so its output and its gradient are 0 for all of them (relu's
/// derivative at 0 is 0) and gradient descent can never revive it from this data.
public struct DeadUnits {
    public struct Layer {
        public let name: String
        public let units: Int
        /// The dead units' column indices.
        public let dead: [Int]
        public var share: Double { units == 0 ? 0 : Double(dead.count) / Double(units) }
    }

    /// The ReLU layers only, in order.
    public let layers: [Layer]
    public var total: Int { layers.reduce(0) { $0 + $1.dead.count } }

    /// Runs the model on `x` without recording a graph.
    public init(_ model: Module, _ x: Tensor) throws {
        let engine = Engine.current
        let trace = try engine.withGrad(false) { try TracedForward(model, Tensor(shape: x.shape, data: x.data)) }
        self.init(ActivatedLayer.walk(model), trace.preActivations)
    }

    /// From a forward pass already made (`diagnose` reuses its own).
    public init(_ layers: [ActivatedLayer], _ preActivations: [Tensor]) {
        self.layers = zip(layers, preActivations).compactMap { layer, z in
            guard layer.isActivation(.relu) else { return nil }
            return Layer(name: layer.name, units: layer.dense.outputs, dead: DeadUnits.dead(z))
        }
    }

    /// The columns of z (n, units) that are <= 0 in every row (with no rows, none).
    static func dead(_ z: Tensor) -> [Int] {
        guard z.rank == 2, z.shape[0] > 0 else { return [] }
        let (n, k) = (z.shape[0], z.shape[1])
        let d = z.data
        return (0..<k).filter { j in (0..<n).allSatisfy { d[$0 * k + j] <= 0 } }
    }
}
