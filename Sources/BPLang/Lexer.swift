/// Turns source text into tokens. Newlines inside `(` `[` and after a binary operator do
/// not end a statement, so the lexer drops them there. A formatted string keeps the
/// positions of its expressions, which the parser lexes as ranges of the same source, so
/// every location stays exact.
public struct Lexer {
    let src: [Unicode.Scalar]
    var i: Int
    let end: Int
    var line: Int
    var col: Int
    var depth = 0
    public private(set) var tokens: [Token] = []
    public private(set) var errors: [BPError] = []

    public init(_ source: String) {
        self.init(scalars: Array(source.unicodeScalars), start: 0, end: nil, loc: SourceLocation(line: 1, column: 1))
    }

    init(scalars: [Unicode.Scalar], start: Int, end: Int?, loc: SourceLocation) {
        src = scalars
        i = start
        self.end = end ?? scalars.count
        line = loc.line
        col = loc.column
    }

    /// Lexes everything; always ends with an `.eof` token.
    public static func tokenize(_ source: String) -> (tokens: [Token], errors: [BPError]) {
        var l = Lexer(source)
        l.run()
        return (l.tokens, l.errors)
    }

    mutating func run() {
        while true {
            skipSpaceAndComments()
            if i >= end {
                tokens.append(Token(kind: .eof, loc: here, start: i, end: i))
                return
            }
            let c = src[i]
            if c == "\n" {
                let t = Token(kind: .newline, loc: here, start: i, end: i + 1)
                advance()
                if depth == 0 && !continuesLine { tokens.append(t) }
                continue
            }
            lexToken()
        }
    }

    var here: SourceLocation { SourceLocation(line: line, column: col) }

    mutating func advance() {
        if src[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        i += 1
    }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < end ? src[i + k] : nil }

    /// The operators, made once (a set literal inside `lexToken` was built for every token:
    /// a third of lexing a script, callgrind).
    static let twoScalarOperators: Set<String> = ["**", "<=", ">=", "==", "!=", ":=", "+=", "-=", "*=", "/=", "//"]
    static let singleScalarOperators: Set<Unicode.Scalar> = ["+", "-", "*", "/", "@", "%", "^", "(", ")", "[", "]", "{", "}",
                                                             ",", ":", ";", ".", "=", "<", ">", "?"]
    static let closers: Set<String> = [")", "]", "}", ";", "."]

    /// True when the last token cannot end a statement (a binary operator, `,`, `=` ...).
    var continuesLine: Bool {
        guard let last = tokens.last else { return false }
        switch last.kind {
        case .op(let o):
            return !Lexer.closers.contains(o) && o != "{"
        case .keyword(let k): return k == .and || k == .or || k == .not
        default: return false
        }
    }

    mutating func skipSpaceAndComments() {
        while i < end {
            let c = src[i]
            if c == " " || c == "\t" || c == "\r" { advance() } else if c == "#" {
                while i < end && src[i] != "\n" { advance() }
            } else if c == "\\" && peek(1) == "\n" {
                advance(); advance()  // explicit line continuation
            } else { break }
        }
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }
    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || ("0"..."9").contains(c) || c.properties.generalCategory == .decimalNumber
            || c.properties.generalCategory == .nonspacingMark || c.properties.generalCategory == .spacingMark
    }
    static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

    mutating func add(_ kind: TokenKind, _ loc: SourceLocation, _ start: Int) {
        tokens.append(Token(kind: kind, loc: loc, start: start, end: i))
    }

    mutating func error(_ msg: String, _ loc: SourceLocation, atEnd: Bool = false) {
        errors.append(BPError(.syntax, msg, at: loc, atEnd: atEnd))
    }

    mutating func lexToken() {
        let loc = here, start = i
        let c = src[i]
        if Lexer.isDigit(c) || (c == "." && Lexer.isDigit(peek(1))) {
            lexNumber(loc, start)
            return
        }
        if c == "f" && peek(1) == "\"" {
            advance(); advance()
            lexFString(loc, start)
            return
        }
        if Lexer.isNameStart(c) {
            while i < end && Lexer.isNameChar(src[i]) { advance() }
            let word = String(String.UnicodeScalarView(src[start..<i]))
            if let k = Keyword(rawValue: word) { add(.keyword(k), loc, start) } else { add(.name(word), loc, start) }
            return
        }
        if c == "\"" {
            advance()
            if let s = lexStringBody(loc) { add(.string(s), loc, start) }
            return
        }
        if (c == "&" && peek(1) == "&") || (c == "|" && peek(1) == "|") || (c == "!" && peek(1) != "=") {
            // C and JavaScript habits: one error naming the bp word, then read on as it
            let word: Keyword = c == "&" ? .and : (c == "|" ? .or : .not)
            let spelled = c == "!" ? "!" : String(Character(c)) + String(Character(c))
            advance()
            if c != "!" { advance() }
            error("bp writes '\(word.rawValue)' for '\(spelled)'", loc)
            add(.keyword(word), loc, start)
            return
        }
        if c == "'" {
            // a Python habit: one error that shows the bp spelling, then read it as a string
            advance()
            var s = String.UnicodeScalarView()
            while i < end, src[i] != "'", src[i] != "\n" {
                if src[i] == "\\", i + 1 < end, src[i + 1] == "'" { advance() }  // \' as Python reads it
                s.append(src[i])
                advance()
            }
            if i < end, src[i] == "'" { advance() }
            let text = String(s)
            error("strings use double quotes in bp: \(Formatter.quoted(text)), not '\(text)'", loc)
            add(.string(text), loc, start)
            return
        }
        // operators, longest first
        if c == "/" && peek(1) == "/" && peek(2) == "=" {
            advance(); advance(); advance()
            add(.op("//="), loc, start)
            return
        }
        if let n = peek(1) {
            let pair = String(Character(c)) + String(Character(n))
            if Lexer.twoScalarOperators.contains(pair) {
                advance(); advance()
                add(.op(pair == "**" ? "^" : pair), loc, start)
                return
            }
        }
        if Lexer.singleScalarOperators.contains(c) {
            advance()
            switch c {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            default: break
            }
            add(.op(String(Character(c))), loc, start)
            return
        }
        advance()
        let shown = c.properties.isWhitespace || c.value < 32 ? "U+" + String(c.value, radix: 16, uppercase: true) : String(Character(c))
        error("unexpected character '\(shown)'", loc)
    }

    mutating func lexNumber(_ loc: SourceLocation, _ start: Int) {
        while Lexer.isDigit(peek()) { advance() }
        if peek() == ".", Lexer.isDigit(peek(1)) {
            advance()
            while Lexer.isDigit(peek()) { advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if Lexer.isDigit(peek(signed ? 2 : 1)) {
                advance()
                if signed { advance() }
                while Lexer.isDigit(peek()) { advance() }
            }
        }
        let text = String(String.UnicodeScalarView(src[start..<i]))
        if let n = peek(), Lexer.isNameStart(n) {
            error("invalid number '\(text)\(Character(n))...': a name cannot start with a digit", loc)
        }
        add(.number(Double(text) ?? .nan), loc, start)
    }

    /// Reads up to the closing quote (the opening one is consumed); nil after an error.
    mutating func lexStringBody(_ loc: SourceLocation) -> String? {
        var s = String.UnicodeScalarView()
        while i < end {
            let c = src[i]
            if c == "\"" { advance(); return String(s) }
            if c == "\\" {
                lexEscape(into: &s)
                continue
            }
            s.append(c)
            advance()
        }
        error("unterminated string", loc, atEnd: true)
        return nil
    }

    /// One escape `\n \t \" \\` at the backslash, appended to `s`.
    mutating func lexEscape(into s: inout String.UnicodeScalarView) {
        let eloc = here
        advance()
        guard i < end else { return }
        let e = src[i]
        advance()
        switch e {
        case "n": s.append("\n")
        case "t": s.append("\t")
        case "\"": s.append("\"")
        case "\\": s.append("\\")
        default: error("unknown escape '\\\(Character(e))' (use \\n \\t \\\" or \\\\)", eloc)
        }
    }

    mutating func lexFString(_ loc: SourceLocation, _ start: Int) {
        var pieces: [FStringPiece] = []
        var text = String.UnicodeScalarView()
        func flush() { if !text.isEmpty { pieces.append(.text(String(text))); text = .init() } }
        while i < end {
            let c = src[i]
            if c == "\"" {
                advance()
                flush()
                add(.fstring(pieces), loc, start)
                return
            }
            if c == "\\" {
                lexEscape(into: &text)
                continue
            }
            if c == "{" && peek(1) == "{" { advance(); advance(); text.append("{"); continue }
            if c == "}" && peek(1) == "}" { advance(); advance(); text.append("}"); continue }
            if c == "}" { error("single '}' in a formatted string (write '}}' for a brace)", here); advance(); continue }
            if c == "{" {
                flush()
                let braceLoc = here
                advance()
                let exprLoc = here, exprStart = i
                var d = 0
                var specStart: Int? = nil
                while i < end, src[i] != "\"" {
                    let k = src[i]
                    if k == "(" || k == "[" || k == "{" { d += 1 }
                    if k == ")" || k == "]" { d -= 1 }
                    if k == "}" { if d == 0 { break } else { d -= 1 } }
                    if k == ":" && d == 0 && specStart == nil && peek(1) != "=" { specStart = i }
                    advance()
                }
                guard i < end, src[i] == "}" else {
                    error("'{' in a formatted string is not closed by '}'", braceLoc, atEnd: i >= end)
                    continue
                }
                let exprEnd = specStart ?? i
                let spec = specStart.map { String(String.UnicodeScalarView(src[($0 + 1)..<i])) }
                advance()
                if src[exprStart..<exprEnd].allSatisfy({ $0 == " " }) {
                    error("empty expression in a formatted string", braceLoc)
                    continue
                }
                pieces.append(.expr(start: exprStart, end: exprEnd, loc: exprLoc, spec: spec))
                continue
            }
            text.append(c)
            advance()
        }
        error("unterminated string", loc, atEnd: true)
    }
}
