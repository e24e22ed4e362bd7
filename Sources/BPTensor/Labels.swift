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

/// Source labels for unnamed graph nodes. The language registers the extent of every
/// expression once, when it is compiled — a range of its input, not a copy of the text, so a
/// 40,000-term line costs 40,000 small entries instead of 40,000 ever longer strings — and a
/// node stores only the small index; the text is cut only when a label is shown.
public enum Labels {
    struct Span {
        let source: LabelSource
        let start: Int32
        let end: Int32
    }

    nonisolated(unsafe) private static var spans: [Span] = []

    public static func register(_ source: LabelSource, start: Int, end: Int) -> Int32 {
        guard spans.count < Int(Int32.max), start >= 0, end <= source.scalars.count, end < Int(Int32.max) else { return -1 }
        spans.append(Span(source: source, start: Int32(start), end: Int32(end)))
        return Int32(spans.count - 1)
    }

    public static func text(_ site: Int32) -> String {
        guard site >= 0 && Int(site) < spans.count else { return "?" }
        let s = spans[Int(site)]
        return s.source.text(Int(s.start), Int(s.end))
    }

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
