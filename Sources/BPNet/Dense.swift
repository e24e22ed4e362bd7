import BPTensor

/// A fully connected layer: `x @ W + b`, then its activation if any. `W` is (in, out),
/// `b` is (1, out); both are leaves.
public final class Dense: Module {
    public let inputs: Int, outputs: Int
    public let W: Tensor
    public let b: Tensor?
    public let activation: Activation?

    /// Draws `W = randn(in, out) * scale` from the shared generator (row-major, as NumPy);
    /// `b = zeros(1, out)`. `name` prefixes the parameters' labels (`layers[0].`).
    public init(_ inputs: Int, _ outputs: Int, activation: Activation? = nil, bias: Bool = true,
                initializer: Initializer = .xavier, name: String = "") throws {
        // the one checked path from a shape to a count, as every tensor's (a dense(1e9, 1)
        // allocated 8 GB past the element limit)
        try Limits.count([inputs, outputs])
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        let scale = initializer.scale(inputs: inputs, outputs: outputs)
        let engine = Engine.current
        var w = [Double](repeating: 0, count: inputs * outputs)
        for i in 0..<w.count { w[i] = engine.random.nextGaussian() * scale }
        W = Tensor(shape: [inputs, outputs], data: w, kind: .leaf)
        W.label = Label(name: name + "W")
        if bias {
            let b = Tensor(shape: [1, outputs], data: [Double](repeating: 0, count: outputs), kind: .leaf)
            b.label = Label(name: name + "b")
            self.b = b
        } else {
            b = nil
        }
    }

    /// A layer holding the weights given (a model file's), drawing nothing from the generator.
    /// `W` is (in, out), `b` (1, out); both become leaves labelled `name` + `W` / `b`.
    public init(W: [Double], b: [Double]?, inputs: Int, outputs: Int, activation: Activation?, name: String = "") {
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        self.W = Tensor(shape: [inputs, outputs], data: W, kind: .leaf)
        self.W.label = Label(name: name + "W")
        self.b = b.map { data in
            let t = Tensor(shape: [1, outputs], data: data, kind: .leaf)
            t.label = Label(name: name + "b")
            return t
        }
    }

    public var parameters: [Tensor] { b.map { [W, $0] } ?? [W] }

    /// The pre-activation `x @ W + b`.
    public func linear(_ x: Tensor) throws -> Tensor {
        guard x.rank == 2, x.shape[1] == inputs else { throw NetError.inputShape(layer: "dense(\(inputs), \(outputs))", expected: inputs, found: x.shape) }
        let z = try Tensor.matmul(x, W)
        return try b.map { try Tensor.binary(.add, z, $0) } ?? z
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let z = try linear(x)
        return try activation?.apply(z) ?? z
    }
}
