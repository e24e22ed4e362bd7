import BPTensor

/// A list: its elements are the values themselves (tensors are shared, not copied).
public final class ListRef {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// `range(a, b, step)`: a lazy sequence of whole numbers.
public struct RangeValue {
    public let start: Int, stop: Int, step: Int
    public var count: Int {
        if step > 0 { return start < stop ? (stop - start + step - 1) / step : 0 }
        return start > stop ? (start - stop - step - 1) / -step : 0
    }
    public func element(_ i: Int) -> Int { start + i * step }
}

/// A formula binding `f := expr`: evaluated anew at each use.
public final class Formula {
    let code: Code
    let source: String
    init(code: @escaping Code, source: String) { self.code = code; self.source = source }
}

/// A value of the language. A number that is not a graph node is stored inline
/// (`.number`), never as a heap object; tensors and graph nodes are `.tensor`.
public enum Value {
    case number(Double)
    case tensor(Tensor)
    case bool(Bool)
    case string(String)
    case list(ListRef)
    case range(RangeValue)
    case function(Function)
    case none
    /// Only ever stored in a variable slot: reading the variable evaluates it.
    case formula(Formula)

    /// The kind as error messages and `:vars` name it.
    public var kindName: String {
        switch self {
        case .number: return "number"
        case .tensor(let t): return t.rank == 0 ? "number" : "tensor"
        case .bool: return "bool"
        case .string: return "string"
        case .list: return "list"
        case .range: return "range"
        case .function: return "function"
        case .none: return "none"
        case .formula: return "formula"
        }
    }

    /// The number of a number, bool or one-element tensor.
    public var asDouble: Double? {
        switch self {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1: return t.data[0]
        default: return nil
        }
    }

    /// A number or a 0-d tensor (something that compares as a number, giving a bool).
    var isNumberLike: Bool {
        switch self {
        case .number, .bool: return true
        case .tensor(let t): return t.rank == 0
        default: return false
        }
    }
}
