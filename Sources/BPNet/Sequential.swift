import BPTensor

/// Modules applied one after the other (`mlp`, `seq`).
public final class Sequential: Module {
    public let layers: [Module]
    public init(_ layers: [Module]) { self.layers = layers }

    /// A multilayer perceptron: dense layers of the given sizes, `act` after every hidden
    /// layer and `out` after the last, drawn layer by layer in order. Parameters are
    /// labelled `layers[i].W` and `layers[i].b`.
    public static func mlp(_ sizes: [Int], act: Activation?, out: Activation?, bias: Bool = true,
                           initializer: Initializer = .xavier) throws -> Sequential {
        guard sizes.count >= 2 else { throw NetError.mlpSizes(sizes) }
        guard sizes.allSatisfy({ $0 > 0 }) else { throw NetError.mlpSizes(sizes) }
        var layers: [Module] = []
        for k in 0..<sizes.count - 1 {
            let last = k == sizes.count - 2
            layers.append(try Dense(sizes[k], sizes[k + 1], activation: last ? out : act, bias: bias,
                                initializer: initializer, name: "layers[\(k)]."))
        }
        return Sequential(layers)
    }

    public var parameters: [Tensor] { layers.flatMap(\.parameters) }

    public func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        for layer in layers { h = try layer.forward(h) }
        return h
    }

    /// The dense layers, depth first (what summaries and diagnostics walk).
    public var denseLayers: [Dense] {
        layers.flatMap { l -> [Dense] in
            if let d = l as? Dense { return [d] }
            if let s = l as? Sequential { return s.denseLayers }
            return []
        }
    }
}
