/// Source labels for unnamed graph nodes. The language registers the text of every
/// expression once, when it is compiled; a node stores only the small index, so recording
/// an operation never builds a string.
public enum Labels {
    nonisolated(unsafe) private static var texts: [String] = []
    nonisolated(unsafe) private static var index: [String: Int32] = [:]

    public static func register(_ text: String) -> Int32 {
        if let i = index[text] { return i }
        let i = Int32(texts.count)
        texts.append(text)
        index[text] = i
        return i
    }

    public static func text(_ site: Int32) -> String {
        site >= 0 && Int(site) < texts.count ? texts[Int(site)] : "?"
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
