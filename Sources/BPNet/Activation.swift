import BPTensor

/// A function applied element-wise after a layer (`sigmoid`, `relu`, `tanh`, or any
/// function of the host language), with the name summaries and `diagnose` show.
public struct Activation {
    public let name: String
    /// The engine's element-wise function, when the activation is one (diagnostics read it).
    public let unary: UnaryFunction?
    /// What the host language knows the function as (a bp function value); opaque here.
    public let source: AnyObject?
    let body: (Tensor) throws -> Tensor

    public init(name: String, source: AnyObject? = nil, _ body: @escaping (Tensor) throws -> Tensor) {
        self.name = name
        self.unary = nil
        self.source = source
        self.body = body
    }

    /// One of the engine's element-wise functions (`.sigmoid`, `.relu`, `.tanh`).
    public init(_ op: UnaryFunction, source: AnyObject? = nil) {
        name = op.rawValue
        unary = op
        self.source = source
        body = { try Tensor.unary(op, $0) }
    }

    public func apply(_ x: Tensor) throws -> Tensor { try body(x) }
}
