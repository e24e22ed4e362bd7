import BPTensor

public enum ClipGrad {
    /// Rescales the gradients so their total norm is at most `maxNorm` (PyTorch's
    /// `clip_grad_norm_`: factor `maxNorm / (norm + 1e-6)` when below 1). Returns the norm
    /// before clipping.
    @discardableResult
    public static func apply(_ parameters: [Tensor], maxNorm: Double) -> Double {
        let norm = totalNorm(parameters)
        let factor = maxNorm / (norm + 1e-6)
        if factor < 1 {
            for p in parameters { if let g = p.grad { p.grad = g.map { $0 * factor } } }
        }
        return norm
    }

    /// sqrt of the sum of every squared gradient element.
    public static func totalNorm(_ parameters: [Tensor]) -> Double {
        var s = 0.0
        for p in parameters { for x in p.grad ?? [] { s += x * x } }
        return s.squareRoot()
    }
}
