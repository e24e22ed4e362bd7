import BPTensor

/// One update rule (tinygrad's `nn/optim.py`): `step` changes each parameter in place from
/// its current gradient, through `Tensor.update` (which bumps the version, so a graph that
/// used the old values is detected). State is kept per parameter; a parameter that no
/// backward reached (no gradient) is skipped, as PyTorch skips `p.grad is None`.
public protocol Optimizer: AnyObject {
    /// The learning rate (`train(lr=...)` sets it).
    var lr: Double { get set }
    /// "sgd(lr=0.1, momentum=0.9)", as printing shows it.
    var description: String { get }
    func step(_ parameters: [Tensor])
}
