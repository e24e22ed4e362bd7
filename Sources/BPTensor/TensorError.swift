/// Errors the engine reports; the language adds the source location.
public enum TensorError: Error, Equatable {
    case shapeMismatch(op: String, a: [Int], b: [Int])
    case notScalar(shape: [Int])
    case seedShape(expected: [Int], found: [Int])
    case changedInPlace(name: String, usedBy: String)
    case noGradient(name: String)
    case matmulMismatch(a: [Int], b: [Int], k1: Int, k2: Int)
    case matmulRank(a: [Int], b: [Int])
    case emptyJoin
    case emptyReduction(String)
    case tooLarge(shape: [Int], limit: Int)
    case tooManyDimensions(rank: Int)
    case negativeSize(shape: [Int])
    /// Ctrl-C stopped a long kernel.
    case interrupted

    public var message: String {
        switch self {
        case .shapeMismatch(let op, let a, let b):
            return "shapes \(describeShape(a)) and \(describeShape(b)) do not match for '\(op)'"
        case .notScalar(let s):
            return "backward needs a single-element output, but this one has shape \(describeShape(s)); "
                + "reduce it first (sum, mean) or pass a seed gradient: backward(f, seed)"
        case .seedShape(let e, let f):
            return "the seed gradient must have the output's shape \(describeShape(e)), found \(describeShape(f))"
        case .changedInPlace(let name, let usedBy):
            return "'\(name)' was changed in place after '\(usedBy)' used its old value; "
                + "compute the graph again before calling backward"
        case .matmulMismatch(let a, let b, let k1, let k2):
            return "shapes \(describeShape(a)) and \(describeShape(b)) do not match for '@': inner sizes \(k1) and \(k2) differ"
        case .matmulRank(let a, let b):
            return "'@' takes 1-d and 2-d tensors, found shapes \(describeShape(a)) and \(describeShape(b))"
        case .emptyJoin:
            return "cannot stack or concatenate an empty list"
        case .emptyReduction(let name):
            return "\(name)() of an empty tensor"
        case .tooLarge(let shape, let limit):
            return "a tensor of shape \(describeShape(shape)) would have more than \(limit) elements "
                + "(the limit; BP_MAX_ELEMENTS changes it)"
        case .tooManyDimensions(let rank):
            return "a tensor of \(rank) dimensions has more than \(Limits.maxRank), the most NumPy allows"
        case .negativeSize(let shape):
            return "sizes must be at least 0, found shape \(describeShape(shape))"
        case .interrupted:
            return "interrupted"
        case .noGradient(let name):
            return "'\(name)' has no gradient yet: no backward has reached it"
        }
    }
}
