import Foundation
import BPTensor

/// Adam with PyTorch's update: `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`, then
/// `p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)` — that is
/// `p -= lr * m_hat / (sqrt(v_hat) + eps)` — with a step count t per parameter.
public final class Adam: Optimizer {
    public var lr: Double
    public let beta1: Double, beta2: Double, eps: Double
    struct State {
        let parameter: Tensor
        var t: Int
        var m: [Double], v: [Double]
    }
    var state: [ObjectIdentifier: State] = [:]

    public init(lr: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
    }

    public var description: String { "adam(lr=\(lr), beta1=\(beta1), beta2=\(beta2), eps=\(eps))" }

    public func step(_ parameters: [Tensor]) {
        for p in parameters {
            guard let g = p.grad else { continue }
            let key = ObjectIdentifier(p)
            let zeros = [Double](repeating: 0, count: g.count)
            var s = state[key] ?? State(parameter: p, t: 0, m: zeros, v: zeros)
            s.t += 1
            for i in g.indices {
                s.m[i] = beta1 * s.m[i] + (1 - beta1) * g[i]
                s.v[i] = beta2 * s.v[i] + (1 - beta2) * g[i] * g[i]
            }
            let bias1 = 1 - Foundation.pow(beta1, Double(s.t))
            let bias2Root = (1 - Foundation.pow(beta2, Double(s.t))).squareRoot()
            let stepSize = lr / bias1
            state[key] = s
            p.update { d in
                for i in d.indices { d[i] -= stepSize * s.m[i] / (s.v[i].squareRoot() / bias2Root + eps) }
            }
        }
    }
}
