import BPTensor

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
    /// An object of the host program (a network, an optimizer...): see `HostObject`.
    case host(HostObject)

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
        case .host(let h): return h.kindName
        }
    }

    /// The number of a number, bool or one-element tensor.
    public var asDouble: Double? {
        switch self {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1: return t.scalar
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

/// A value's kind as messages name it: "tensor of shape (2,3)" for a tensor, else its kind.
func describe(_ v: Value) -> String {
    if case .tensor(let t) = v, t.rank > 0 { return "tensor of shape \(describeShape(t.shape))" }
    return v.kindName
}
