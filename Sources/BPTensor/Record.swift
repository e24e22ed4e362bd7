/// How a graph node was computed: the operation and its inputs, with the version of each
/// input at the time it was used (so a later in-place change is detected by `backward`).
public struct Record {
    public let op: Op
    public let a: Tensor
    public let b: Tensor?
    /// Further inputs of an n-ary operation (`stack`, `concat`); empty otherwise.
    public let rest: [Tensor]
    let versionA: Int
    let versionB: Int
    let restVersions: [Int]

    init(op: Op, a: Tensor, b: Tensor? = nil, rest: [Tensor] = []) {
        self.op = op
        self.a = a
        self.b = b
        self.rest = rest
        self.versionA = a.version
        self.versionB = b?.version ?? 0
        self.restVersions = rest.map(\.version)
    }

    /// Every input, in order.
    public var inputs: [Tensor] { [a] + (b.map { [$0] } ?? []) + rest }

    /// Every tensor the record holds, the mask of `where` included (releasing a long chain
    /// of `where` must not recurse through the masks either).
    func appendInputs(to stack: inout [Tensor]) {
        stack.append(a)
        if let b { stack.append(b) }
        stack.append(contentsOf: rest)
        if case .select(let mask) = op { stack.append(mask) }
    }

    /// The first input whose values changed in place since this record used them.
    func changedInput() -> Tensor? {
        if a.version != versionA { return a }
        if let b, b.version != versionB { return b }
        for (t, v) in zip(rest, restVersions) where t.version != v { return t }
        return nil
    }
}

/// An operation whose local derivative the engine knows.
public enum Op {
    case unary(UnaryOp)
    case binary(BinaryOp)
    case gather(Gather)
    /// `out[map[i]] += x[i]`: sums over axes (the adjoint of gather).
    case sumTo(Gather)
    /// Matrix product of 1-d and 2-d operands, as NumPy's matmul.
    case matmul
    /// Places each input's elements at its offsets in the output (stack, concat).
    case join(Join)
    /// `mask ? a : b` element-wise, with broadcasting; the mask is constant.
    case select(Tensor)

    var isMatmul: Bool {
        if case .matmul = self { return true }
        return false
    }

    public var symbol: String {
        switch self {
        case .unary(let u): return u.rawValue
        case .binary(let b): return b.rawValue
        case .gather: return "index"
        case .sumTo: return "sum"
        case .matmul: return "@"
        case .join: return "stack"
        case .select: return "where"
        }
    }
}
