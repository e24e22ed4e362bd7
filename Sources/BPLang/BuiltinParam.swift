/// What a builtin's parameter takes. A builtin's body reads each argument by name with
/// the reader of its kind (`a.tensor("x")`, `a.count("n")`, `a.axes("axis", rank: r)`),
/// which converts and checks it; the kind words the error when the argument is of another
/// kind ("clip() expects a number for 'lo', found a string").
public enum ArgumentKind: Equatable, Sendable {
    /// Any value, read as it is: `a["x"]`.
    case any
    /// A number or a one-element value: `a.number`.
    case number
    /// true or false (a number counts, non-zero being true): `a.bool`.
    case bool
    case string
    /// A number, bool, list or tensor, as a tensor: `a.tensor`.
    case tensor
    /// A whole number at least 0, a size or a count: `a.count`.
    case count
    /// A whole number of either sign (an index, a number of digits, a seed): `a.integer`.
    case integer
    /// One axis, negative ones counting from the end, checked against a rank: `a.axis`.
    case axis
    /// none (every axis), one axis, or a list of distinct axes: `a.axes`.
    case axes
    case function

    /// What an argument of this kind is, as errors say it.
    var expected: String {
        switch self {
        case .any: return "a value"
        case .number: return "a number"
        case .bool: return "true or false"
        case .string: return "a string"
        case .tensor: return "a number or tensor"
        case .count, .integer, .axis: return "a whole number"
        case .axes: return "an axis or a list of axes"
        case .function: return "a function"
        }
    }
}

/// A builtin's parameter: its name, what it takes and, for an optional one, its default.
public struct BuiltinParam {
    public let name: String
    public let kind: ArgumentKind
    /// nil for a required parameter.
    public let defaultValue: Value?

    public init(_ name: String, _ kind: ArgumentKind, default defaultValue: Value? = nil) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
    }

    /// The same parameter, optional, `none` when left out (`max(x, b=none)`).
    public var orNone: BuiltinParam { BuiltinParam(name, kind, default: Value.none) }

    public static func any(_ name: String) -> BuiltinParam { BuiltinParam(name, .any) }
    public static func string(_ name: String) -> BuiltinParam { BuiltinParam(name, .string) }
    public static func tensor(_ name: String) -> BuiltinParam { BuiltinParam(name, .tensor) }
    public static func function(_ name: String) -> BuiltinParam { BuiltinParam(name, .function) }
    /// `axis=none`: every axis unless given.
    public static func axes(_ name: String) -> BuiltinParam { BuiltinParam(name, .axes, default: Value.none) }

    public static func number(_ name: String, _ defaultValue: Double? = nil) -> BuiltinParam {
        BuiltinParam(name, .number, default: defaultValue.map { .number($0) })
    }
    public static func bool(_ name: String, _ defaultValue: Bool? = nil) -> BuiltinParam {
        BuiltinParam(name, .bool, default: defaultValue.map { .bool($0) })
    }
    public static func count(_ name: String, _ defaultValue: Int? = nil) -> BuiltinParam {
        BuiltinParam(name, .count, default: defaultValue.map { .number(Double($0)) })
    }
    public static func integer(_ name: String, _ defaultValue: Int? = nil) -> BuiltinParam {
        BuiltinParam(name, .integer, default: defaultValue.map { .number(Double($0)) })
    }
    public static func axis(_ name: String, _ defaultValue: Int? = nil) -> BuiltinParam {
        BuiltinParam(name, .axis, default: defaultValue.map { .number(Double($0)) })
    }
}
