/// A parsed JSON document (RFC 8259), read by a small parser of its own so that an error
/// names the line and column where the text stops being JSON (Foundation's says "around
/// character 10", or nothing) and numbers keep every bit: each is read with Swift's
/// correctly rounded `Double(String)`, the inverse of the shortest round-trip `description`.
public indirect enum JSONValue {
    case object([String: JSONValue], keys: [String])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// What the value is, in a message ("a list", "a number").
    public var kindName: String {
        switch self {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// Deeper nesting than this is an error, never a stack overflow.
    public static let maxDepth = 200

    /// Parses a whole document; the error says where and what was expected.
    public static func parse(_ text: String) throws(ModelFileError) -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        guard parser.at < parser.bytes.count else { throw ModelFileError("the file is empty, not JSON") }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.at < parser.bytes.count { throw parser.failure("unexpected text after the end of the JSON value") }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        var at = 0

        /// An error at the current position: `line 3, column 7: ...` (columns count characters).
        func failure(_ what: String) -> ModelFileError {
            var line = 1, lineStart = 0
            for i in 0..<min(at, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            let column = String(decoding: bytes[lineStart..<min(at, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
            return ModelFileError("line \(line), column \(column): \(what)")
        }

        /// What stands at the current position, for messages (`'NaN'`, `the end of the file`).
        func found() -> String {
            guard at < bytes.count else { return "the end of the file (is it truncated?)" }
            var end = at
            while end < bytes.count, end - at < 12, !" \t\r\n,:[]{}".utf8.contains(bytes[end]) { end += 1 }
            return "'" + String(decoding: bytes[at..<max(end, at + 1)], as: UTF8.self) + "'"
        }

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
        }

        mutating func expect(_ c: Character, _ what: String) throws(ModelFileError) {
            skipSpace()
            guard at < bytes.count, bytes[at] == c.asciiValue! else { throw failure("expected \(what), found \(found())") }
            at += 1
        }

        mutating func value(depth: Int) throws(ModelFileError) -> JSONValue {
            guard depth < JSONValue.maxDepth else { throw failure("nested more than \(JSONValue.maxDepth) levels deep") }
            skipSpace()
            guard at < bytes.count else { throw failure("expected a value, found \(found())") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var members: [String: JSONValue] = [:], keys: [String] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members, keys: keys) }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw failure("expected a key in double quotes, found \(found())") }
                    let keyStart = at
                    let key = try string()
                    if members[key] != nil {
                        at = keyStart
                        throw failure("the key \"\(key)\" appears twice")
                    }
                    try expect(":", "':' after the key")
                    members[key] = try value(depth: depth + 1)
                    keys.append(key)
                    skipSpace()
                    if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members, keys: keys) }
                    try expect(",", "',' or '}'")
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [JSONValue] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                    try expect(",", "',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                for (word, v) in [("true", JSONValue.bool(true)), ("false", .bool(false)), ("null", .null)]
                where bytes[at...].starts(with: word.utf8) {
                    at += word.utf8.count
                    return v
                }
                let what = found()
                if ["'nan'", "'NaN'", "'inf'", "'Infinity'", "'-Infinity'", "'-inf'"].contains(what) {
                    throw failure("\(what) is not a number JSON can hold (JSON has no nan or infinity)")
                }
                throw failure("expected a value, found \(what)")
            }
        }

        /// A number in JSON's grammar, read exactly.
        mutating func number() throws(ModelFileError) -> Double {
            let start = at
            func digits() -> Int {
                let s = at
                while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { at += 1 }
                return at - s
            }
            if bytes[at] == UInt8(ascii: "-") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "I") || bytes[at] == UInt8(ascii: "i") {
                    at = start
                    throw failure("\(found()) is not a number JSON can hold (JSON has no nan or infinity)")
                }
            }
            let whole = digits()
            var ok = whole > 0 && !(whole > 1 && bytes[at - whole] == UInt8(ascii: "0"))
            if ok, at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                ok = digits() > 0
            }
            if ok, at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                ok = digits() > 0
            }
            let text = String(decoding: bytes[start..<at], as: UTF8.self)
            guard ok, let d = Double(text) else {
                at = start
                throw failure("\(found()) is not a number")
            }
            guard d.isFinite else {
                at = start
                throw failure("\(text) is too large for a 64-bit float")
            }
            return d
        }

        /// A string in double quotes, escapes decoded.
        mutating func string() throws(ModelFileError) -> String {
            at += 1
            var out: [UInt8] = []
            while at < bytes.count {
                let c = bytes[at]
                at += 1
                switch c {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { break }
                    let e = bytes[at]
                    at += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard at + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else {
                            throw failure("a \\u escape needs four hexadecimal digits")
                        }
                        at += 4
                        out.append(contentsOf: String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    default:
                        at -= 2
                        throw failure("unknown escape in a string")
                    }
                case 0..<0x20:
                    at -= 1
                    throw failure("a control character inside a string (a string ends on its line)")
                default:
                    out.append(c)
                }
            }
            throw failure("a string is not closed: found \(found())")
        }
    }
}
