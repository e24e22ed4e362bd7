import BPTensor

/// A forward pass that keeps each dense layer's pre-activation `z = x @ W + b`, in the
/// order of `ActivatedLayer.walk` (what `dead` and `diagnose` read). It computes exactly
/// what `model.forward` computes, recording a graph when the engine's grad mode is on.
public struct TracedForward {
    /// The pre-activations, one per dense layer, depth first.
    public let preActivations: [Tensor]
    public let output: Tensor
    /// The function the model applied last, when it ends in one (`sigmoid` of an mlp's
    /// output layer, or a `seq`'s final function); nil for a linear output.
    public let lastActivation: Activation?

    public init(_ model: Module, _ x: Tensor) throws {
        var zs: [Tensor] = []
        var last: Activation? = nil
        func run(_ m: Module, _ h: Tensor) throws -> Tensor {
            switch m {
            case let d as Dense:
                let z = try d.linear(h)
                zs.append(z)
                last = d.activation
                return try d.activation?.apply(z) ?? z
            case let l as Lambda:
                last = l.activation
                return try l.forward(h)
            case let s as Sequential:
                var h = h
                for layer in s.layers { h = try run(layer, h) }
                return h
            default:
                last = nil
                return try m.forward(h)
            }
        }
        output = try run(model, x)
        preActivations = zs
        lastActivation = last
    }
}
