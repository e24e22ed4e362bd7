import Foundation

/// A standalone SVG document built element by element: numbers written with at most two
/// decimals, text and attribute values escaped, so the result is well-formed XML whatever
/// the labels hold.
public struct SVGDocument {
    public let width: Int
    public let height: Int
    private var body: [String] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// A coordinate or length: "12", "12.5", "-0.25".
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() && Swift.abs(r) < 1e15 { return String(Int(r)) }
        return TickLabel.trimmed(String(format: "%.2f", r))
    }

    /// Text with `& < > " '` escaped, for element content and attribute values alike.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // characters XML 1.0 forbids (control characters) are left out
                if let a = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, a.value < 0x20, a != "\n", a != "\t" { continue }
                out.append(ch)
            }
        }
        return out
    }

    /// `name="value"` pairs, in the order given.
    static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// An empty element: `<rect x="0" .../>`.
    public mutating func element(_ name: String, _ attrs: [(String, String)]) {
        body.append("<\(name)\(SVGDocument.attributes(attrs))/>")
    }

    /// An element holding text: `<text ...>label</text>`.
    public mutating func text(_ content: String, _ attrs: [(String, String)]) {
        body.append("<text\(SVGDocument.attributes(attrs))>\(SVGDocument.escape(content))</text>")
    }

    /// Opens a group (`<g ...>`); close it with `close()`.
    public mutating func group(_ attrs: [(String, String)]) { body.append("<g\(SVGDocument.attributes(attrs))>") }
    public mutating func close() { body.append("</g>") }

    /// The document: XML declaration, the `svg` root with its size and view box, a white
    /// background, then the elements, one per line.
    public func render(title: String? = nil) -> String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
                        + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"]
        if let title { lines.append("<title>\(SVGDocument.escape(title))</title>") }
        lines.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>")
        lines += body
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }
}
