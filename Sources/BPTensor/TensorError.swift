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
        case .noGradient(let name):
            return "'\(name)' has no gradient yet: no backward has reached it"
        }
    }
}
