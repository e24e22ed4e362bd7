/// The source text a label is cut from: one compiled input, shared by all its labels.
public final class LabelSource {
    public let scalars: [Unicode.Scalar]
    public init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    /// The whole input as one string, made once (errors inside functions show its lines).
    public private(set) lazy var string: String = text(0, scalars.count)

    /// The text of scalars start..<end.
    public func text(_ start: Int, _ end: Int) -> String {
        guard start >= 0, end <= scalars.count, start < end else { return "" }
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars[start..<end])
        return s
    }
}

/// How a graph node is shown: the variable it was bound to, or the extent of the expression
/// that computed it. The compiler makes one source label per expression, once — a range of
/// its input, not a copy of the text, so a 40,000-term line costs 40,000 small labels instead
/// of 40,000 ever longer strings — and every node that expression computes shares it; the
/// text is cut only when a label is shown. A label lives as long as the code or the nodes
/// that use it (nothing is registered anywhere).
public final class Label {
    public let source: LabelSource?
    let start: Int32, end: Int32
    /// The variable name, for a name label.
    public let name: String?

    /// The text of `source` from scalar `start` to `end`; nil when the range does not fit.
    public init?(_ source: LabelSource, start: Int, end: Int) {
        guard start >= 0, end <= source.scalars.count, end < Int(Int32.max) else { return nil }
        self.source = source
        self.start = Int32(start)
        self.end = Int32(end)
        self.name = nil
    }

    /// A variable's name.
    public init(name: String) {
        self.name = name
        source = nil
        start = 0
        end = 0
    }

    public var text: String { name ?? source?.text(Int(start), Int(end)) ?? "?" }
}

/// Label texts: operands and constants.
public enum Labels {
    /// A label as an operand: `(a + a)` in parentheses, so that `(a + a).grad` reads right;
    /// a name, a number, a call or an already parenthesized text stays as it is.
    public static func operand(_ text: String) -> String {
        var depth = 0
        for c in text.unicodeScalars {
            switch c {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case " ", "+", "-", "*", "/", "@", "%", "^", "<", ">", "=", "!", ",", ":":
                if depth == 0 { return "(" + text + ")" }
            default: break
            }
        }
        return text
    }

    static func describeConstant(_ t: Tensor) -> String {
        t.count == 1 ? formatShort(t.data[0]) : "const\(t.shape)"
    }

    static func formatShort(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }
}
