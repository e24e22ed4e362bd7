/// How a graph node was computed: the operation and its inputs, with the version of each
/// input at the time it was used (so a later in-place change is detected by `backward`).
public struct Record {
    public let op: Op
    public let a: Tensor
    public let b: Tensor?
    let versionA: Int
    let versionB: Int

    init(op: Op, a: Tensor, b: Tensor? = nil) {
        self.op = op
        self.a = a
        self.b = b
        self.versionA = a.version
        self.versionB = b?.version ?? 0
    }

    public var inputs: [Tensor] { b.map { [a, $0] } ?? [a] }

    func appendInputs(to stack: inout [Tensor]) {
        stack.append(a)
        if let b { stack.append(b) }
    }
}

/// An operation whose local derivative the engine knows.
public enum Op {
    case unary(UnaryOp)
    case binary(BinaryOp)
    case gather(Gather)

    public var symbol: String {
        switch self {
        case .unary(let u): return u.rawValue
        case .binary(let b): return b.rawValue
        case .gather: return "index"
        }
    }
}
