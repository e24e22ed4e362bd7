import BPTensor

/// Stochastic gradient descent with PyTorch's momentum: `v = momentum * v + g`
/// (`v` starting at 0, so the first `v` is `g`), then `p -= lr * v`.
public final class SGD: Optimizer {
    public var lr: Double
    public let momentum: Double
    /// The velocity of each parameter (the parameter is kept, so its identity stays valid).
    var velocity: [ObjectIdentifier: (Tensor, [Double])] = [:]

    public init(lr: Double = 0.1, momentum: Double = 0) {
        self.lr = lr
        self.momentum = momentum
    }

    public var description: String { "sgd(lr=\(lr), momentum=\(momentum))" }

    public func step(_ parameters: [Tensor]) {
        for p in parameters {
            guard let g = p.grad else { continue }
            if momentum == 0 {
                p.update { d in for i in d.indices { d[i] -= lr * g[i] } }
                continue
            }
            let key = ObjectIdentifier(p)
            var v = velocity[key]?.1 ?? [Double](repeating: 0, count: g.count)
            for i in v.indices { v[i] = momentum * v[i] + g[i] }
            velocity[key] = (p, v)
            p.update { d in for i in d.indices { d[i] -= lr * v[i] } }
        }
    }
}
