import CFormat
import BPTensor
#if canImport(Glibc)
import Glibc
#endif

/// How values print: numbers, tensors (as NumPy prints arrays), lists (as Python prints them).
public struct Formatter {
    /// Significant digits of numbers (`%.6g`) and decimals of tensors (4): `:precision N` sets both.
    public var digits: Int = 6
    public var decimals: Int = 4

    public init() {}

    /// C's printf for one double, however long the result (`%.600f` included).
    static func cFormat(_ fmt: String, _ x: Double) -> String {
        fmt.withCString { f in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
                let n = Int(bp_format_double(buf.baseAddress!, 64, f, x))
                if n >= 0 && n < 64 { return String(cString: buf.baseAddress!) }
                var big = [CChar](repeating: 0, count: max(n, 0) + 1)
                _ = bp_format_double(&big, big.count, f, x)
                return String(cString: big)
            }
        }
    }

    /// A number as `print` shows it: whole numbers below 10^15 without decimals, else `%.6g`.
    public func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
        return Formatter.cFormat("%.\(digits)g", x)
    }

    /// NumPy's print options: line width, summary threshold and edge items.
    public static let lineWidth = 75, threshold = 1000, edgeItems = 3

    /// A tensor as NumPy's `str` shows it (`_formatArray`): rows on separate lines, columns
    /// aligned, lines wrapped at 75 characters, more than 1000 elements summarized with `...`.
    /// Every element is whole → no decimals; else every element with `decimals` decimals.
    public func tensor(_ t: Tensor) -> String {
        if t.rank == 0 { return number(t.data[0]) }
        let summarize = t.count > Formatter.threshold
        let strideOf = BPTensor.strides(t.shape)
        // the indices shown along each axis (nil marks the '...')
        let shown: [[Int?]] = t.shape.map { n in
            summarize && n > 2 * Formatter.edgeItems
                ? Array(0..<Formatter.edgeItems) + [nil] + Array((n - Formatter.edgeItems)..<n)
                : Array(0..<n)
        }
        var visible: [Double] = []
        func collect(_ axis: Int, _ offset: Int) {
            if axis == t.rank { visible.append(t.data[offset]); return }
            for i in shown[axis] { if let i { collect(axis + 1, offset + i * strideOf[axis]) } }
        }
        collect(0, 0)
        let cell = cellFormat(visible)
        let width = visible.map { cell($0).count }.max() ?? 0
        func word(_ x: Double) -> String {
            let c = cell(x)
            return String(repeating: " ", count: width - c.count) + c
        }
        func extend(_ s: inout String, _ line: inout String, _ word: String, _ lineWidth: Int, _ prefix: String) {
            if line.count + word.count > lineWidth && line.count > prefix.count {
                s += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
                line = prefix
            }
            line += word
        }
        func recurse(_ axis: Int, _ offset: Int, _ indent: String, _ currentWidth: Int) -> String {
            let nextIndent = indent + " ", nextWidth = currentWidth - 1
            let items = shown[axis]
            var s = ""
            if axis == t.rank - 1 {
                var line = indent
                for (k, i) in items.enumerated() {
                    let w = i.map { word(t.data[offset + $0 * strideOf[axis]]) } ?? "..."
                    extend(&s, &line, w, currentWidth - 1, indent)  // room for the closing bracket
                    if k < items.count - 1 { line += " " }
                }
                s += line
            } else {
                let separator = String(repeating: "\n", count: t.rank - axis - 1)
                for (k, i) in items.enumerated() {
                    let nested = i.map { recurse(axis + 1, offset + $0 * strideOf[axis], nextIndent, nextWidth) } ?? "..."
                    s += indent + nested + (k < items.count - 1 ? separator : "")
                }
            }
            return "[" + s.dropFirst(indent.count) + "]"
        }
        return recurse(0, 0, " ", Formatter.lineWidth)
    }

    /// How every element of a tensor prints, decided from the elements shown, as NumPy's
    /// `FloatingFormat` decides with `precision=4, floatmode='fixed'`: scientific notation
    /// when a non-zero magnitude is below 1e-4 or at least 1e8, or the largest non-zero
    /// magnitude exceeds 1000 times the smallest; else whole numbers without decimals when
    /// every element is whole; else `decimals` decimals.
    func cellFormat(_ values: [Double]) -> (Double) -> String {
        let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
        if let lo = magnitudes.min(), let hi = magnitudes.max(), hi >= 1e8 || lo < 1e-4 || hi / lo > 1000 {
            // NumPy pads every exponent to the longest one's digits (e-07, e+100 -> e+007)
            let decimals = self.decimals
            let digits = magnitudes.map { m in
                let t = Formatter.cFormat("%.\(decimals)e", m)
                return t.distance(from: t.firstIndex(of: "e")!, to: t.endIndex) - 2
            }.max() ?? 2
            return { x in
                guard x.isFinite else { return Formatter.nonFinite(x) }
                let text = Formatter.cFormat("%.\(decimals)e", x)
                guard let e = text.firstIndex(of: "e") else { return text }
                let mantissa = text[..<e], sign = text[text.index(after: e)]
                let exponent = text[text.index(e, offsetBy: 2)...]
                return mantissa + "e" + String(sign) + String(repeating: "0", count: Swift.max(0, digits - exponent.count)) + exponent
            }
        }
        if values.allSatisfy({ !$0.isFinite || ($0 == $0.rounded() && Swift.abs($0) < 1e15) }) {
            return { x in x.isFinite ? String(Int64(x)) : Formatter.nonFinite(x) }
        }
        let decimals = self.decimals
        return { x in x.isFinite ? Formatter.cFormat("%.\(decimals)f", x) : Formatter.nonFinite(x) }
    }

    static func nonFinite(_ x: Double) -> String { x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }

    /// The text of a value as `print` and `str` show it.
    public func string(_ v: Value) -> String {
        switch v {
        case .number(let d): return number(d)
        case .tensor(let t): return tensor(t)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .list(let l): return list(l)
        case .range(let r): return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
        case .function(let f): return "<function \(f.signature)>"
        case .none: return "none"
        case .formula(let f): return "<formula \(f.source)>"
        case .host(let h): return h.describe(self)
        }
    }

    /// Lists nested this deep print their inner part as `[...]`.
    static let maxListDepth = 1000

    /// A list as Python prints it; a list inside itself prints as `[...]` (Python's rule),
    /// and so does nesting past `maxListDepth`, so printing never recurses without end.
    func list(_ l: ListRef) -> String {
        var open: [ObjectIdentifier] = []
        func text(_ l: ListRef) -> String {
            if open.contains(ObjectIdentifier(l)) || open.count >= Formatter.maxListDepth { return "[...]" }
            open.append(ObjectIdentifier(l))
            defer { open.removeLast() }
            // a matrix's later rows line up under its first one
            var out = "[", column = 1
            for (k, v) in l.items.enumerated() {
                if k > 0 { out += ", "; column += 2 }
                let item: String
                if case .list(let inner) = v { item = text(inner) } else { item = repr(v) }
                let lines = item.split(separator: "\n", omittingEmptySubsequences: false)
                out += lines.joined(separator: "\n" + String(repeating: " ", count: column))
                column = lines.count > 1 ? column + lines.last!.count : column + item.count
            }
            return out + "]"
        }
        return text(l)
    }

    /// A value as bp would write it: strings in double quotes with bp's escapes
    /// (`"multi\nline"`), so an echoed value can be typed back in; others as `print` shows them.
    public func repr(_ v: Value) -> String {
        if case .string(let s) = v { return Formatter.quoted(s) }
        return string(v)
    }

    /// A string literal for `s`: `\`, `"`, newline and tab escaped as bp reads them.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Applies a Python format spec (`>8.3f`, `,`, `.1%`, `05d`, ...) to a value.
    public func format(_ v: Value, spec: String) throws -> String {
        let s = try FormatSpec(spec)
        switch v {
        case .string, .bool, .none, .list:
            if s.type != nil || s.precision != nil || s.sign != nil || s.grouping {
                throw FormatError("format spec '\(spec)' applies to numbers; this value is a \(v.kindName)")
            }
            return s.pad(string(v), numeric: false)
        default:
            guard let x = v.asDouble else {
                if case .tensor(let t) = v {
                    throw FormatError("format spec '\(spec)' needs a number or a one-element tensor, found a tensor of shape \(describeShape(t.shape))")
                }
                throw FormatError("format spec '\(spec)' needs a number, found a \(v.kindName)")
            }
            return try s.apply(x, plain: number)
        }
    }
}

public struct FormatError: Error { public let message: String; init(_ m: String) { message = m } }

extension String {
    init(format0 x: Double) {
        self = Swift.abs(x) < 9.2e18 ? String(Int64(x)) : Formatter.cFormat("%.0f", x)
    }
}
