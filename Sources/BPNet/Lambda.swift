import BPTensor

/// A parameterless step of a sequence: an activation or any function (`seq(dense(2, 4), relu)`).
public final class Lambda: Module {
    public let activation: Activation
    public init(_ activation: Activation) { self.activation = activation }
    public var parameters: [Tensor] { [] }
    public func forward(_ x: Tensor) throws -> Tensor { try activation.apply(x) }
}
