import BPTensor

/// A piece of a network (micrograd's `Module`): it computes `forward(x)` with recorded
/// operations, so a graph is built like any expression's, and lists its parameters, the
/// leaves an optimizer updates. Rows of `x` are samples.
public protocol Module: AnyObject {
    /// The output for a batch `x` (n, features).
    func forward(_ x: Tensor) throws -> Tensor
    /// The leaves the module learns, in order (a dense layer: `W`, then `b`).
    var parameters: [Tensor] { get }
}

extension Module {
    /// The number of values the parameters hold.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}
