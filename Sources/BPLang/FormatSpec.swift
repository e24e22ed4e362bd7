import BPTensor
#if canImport(Glibc)
import Glibc
#endif

/// Python's format-spec mini-language: `[[fill]align][sign][0][width][,][.precision][type]`.
struct FormatSpec {
    static let maxWidth = 1_000_000
    static let maxPrecision = 10_000
    var fill: Character = " "
    var align: Character? = nil
    var sign: Character? = nil
    var zero = false
    var width = 0
    var grouping = false
    var precision: Int? = nil
    var type: Character? = nil

    init(_ spec: String) throws {
        var c = Array(spec)
        var i = 0
        let aligns: Set<Character> = ["<", ">", "^", "="]
        if c.count >= 2 && aligns.contains(c[1]) { fill = c[0]; align = c[1]; i = 2 } else if c.count >= 1 && aligns.contains(c[0]) { align = c[0]; i = 1 }
        if i < c.count, "+- ".contains(c[i]) { sign = c[i]; i += 1 }
        if i < c.count, c[i] == "0" { zero = true; i += 1 }
        var w = ""
        while i < c.count, c[i].isASCII, c[i].isNumber { w.append(c[i]); i += 1 }
        // checked, so a spec can neither trap nor ask for gigabytes of padding
        guard w.count <= 7, let wn = Int(w.isEmpty ? "0" : w), wn <= FormatSpec.maxWidth else {
            throw FormatError("format width \(w) is too large (at most \(FormatSpec.maxWidth))")
        }
        width = wn
        if i < c.count, c[i] == "," || c[i] == "_" { grouping = true; i += 1 }
        if i < c.count, c[i] == "." {
            i += 1
            var p = ""
            while i < c.count, c[i].isASCII, c[i].isNumber { p.append(c[i]); i += 1 }
            guard !p.isEmpty else { throw FormatError("format spec '\(spec)': '.' must be followed by a precision") }
            guard p.count <= 5, let pn = Int(p), pn <= FormatSpec.maxPrecision else {
                throw FormatError("format precision \(p) is too large (at most \(FormatSpec.maxPrecision))")
            }
            precision = pn
        }
        if i < c.count, "fFeEgGd%".contains(c[i]) { type = c[i]; i += 1 }
        if i != c.count {
            c = Array(spec)
            throw FormatError("invalid format spec '\(spec)' (expected [[fill]align][sign][0][width][,][.precision][f|e|g|d|%])")
        }
    }

    func apply(_ x: Double, plain: (Double) -> String) throws -> String {
        var body: String
        let negative = x < 0 || (x == 0 && x.sign == .minus && type != nil && type != "d")
        let m = Swift.abs(x)
        switch type {
        case "d":
            guard x == x.rounded(), x.isFinite else {
                throw FormatError("format 'd' needs a whole number, found \(plain(x))")
            }
            body = String(format0: m)
        case "f", "F": body = Formatter.cFormat("%.\(precision ?? 6)f", m)
        case "e", "E": body = Formatter.cFormat("%.\(precision ?? 6)\(type!)", m)
        case "g", "G": body = Formatter.cFormat("%.\(precision ?? 6)\(type!)", m)
        case "%": body = Formatter.cFormat("%.\(precision ?? 6)f", m * 100) + "%"
        default:
            body = precision.map { Formatter.cFormat("%.\($0)g", m) } ?? plain(m)
        }
        if m.isNaN { body = "nan" } else if m.isInfinite { body = "inf" }
        if grouping { body = FormatSpec.group(body) }
        var signText = ""
        if negative && !m.isNaN { signText = "-" } else if sign == "+" { signText = "+" } else if sign == " " { signText = " " }
        if zero && align == nil {
            let padCount = max(0, width - signText.count - body.count)
            return signText + String(repeating: "0", count: padCount) + body
        }
        if align == "=" {
            let padCount = max(0, width - signText.count - body.count)
            return signText + String(repeating: fill, count: padCount) + body
        }
        return pad(signText + body, numeric: true)
    }

    func pad(_ s: String, numeric: Bool) -> String {
        let n = s.count
        guard width > n else { return s }
        let extra = width - n
        switch align ?? (numeric ? ">" : "<") {
        case "<": return s + String(repeating: fill, count: extra)
        case "^": return String(repeating: fill, count: extra / 2) + s + String(repeating: fill, count: extra - extra / 2)
        default: return String(repeating: fill, count: extra) + s
        }
    }

    static func group(_ body: String) -> String {
        var intPart = body.prefix { $0.isNumber }
        let rest = body.dropFirst(intPart.count)
        var out = ""
        while intPart.count > 3 {
            out = "," + intPart.suffix(3) + out
            intPart = intPart.dropLast(3)
        }
        return intPart + out + rest
    }
}
