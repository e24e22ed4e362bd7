/// Errors the engine reports; the language adds the source location.
public enum TensorError: Error, Equatable {
    case shapeMismatch(op: String, a: [Int], b: [Int])
    case notScalar(shape: [Int])
    case seedShape(expected: [Int], found: [Int])
    case changedInPlace(name: String, usedBy: String)
    case noGradient(name: String)

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
        case .noGradient(let name):
            return "'\(name)' has no gradient yet: no backward has reached it"
        }
    }
}
