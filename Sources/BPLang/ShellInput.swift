/// Collects the shell's lines into complete inputs, as Python's shell does: an unfinished
/// input (open bracket, brace or string, trailing operator) waits for more lines, and an
/// `if`/`elif` block closed by `}` at the end of a line waits for a possible `elif`/`else`.
/// Meta commands (`:vars`) and `?name` are complete lines of their own.
public struct ShellInput {
    /// The lines read so far of an unfinished input.
    public private(set) var buffer = ""
    /// True after an `if` block: the next line may continue it with `elif`/`else`.
    public private(set) var waitingForElse = false

    /// Brackets and a string still open at the end of the buffer, followed line by line, so
    /// that a long paste (a 3,000-line block) is parsed once, when it can be complete, instead
    /// of again at every line. A closing bracket that does not match makes the next check parse.
    private var open: [Unicode.Scalar] = []
    private var inString = false
    private var mismatched = false
    /// How many times the buffer was parsed (tests check that a paste is not re-parsed per line).
    private(set) var parses = 0

    public init() {}

    /// True while an input is unfinished: the shell shows the `... ` prompt.
    public var isContinuing: Bool { !buffer.isEmpty }

    /// Forgets the unfinished input (Ctrl-C at the prompt).
    public mutating func clear() {
        buffer = ""
        waitingForElse = false
        open = []
        inString = false
        mismatched = false
    }

    /// Follows brackets and strings through one more line of the buffer.
    mutating func scan(_ line: String) {
        var escaped = false, single = false
        for c in line.unicodeScalars {
            if inString || single {
                if escaped { escaped = false } else if c == "\\" { escaped = true }
                else if inString && c == "\"" { inString = false }
                else if single && c == "'" { single = false }
                continue
            }
            switch c {
            case "#": return
            case "\"": inString = true
            case "'": single = true  // a Python habit the lexer reads to the end of the line
            case "(", "[", "{": open.append(c)
            case ")", "]", "}":
                let opener: Unicode.Scalar = c == ")" ? "(" : (c == "]" ? "[" : "{")
                if open.last == opener { open.removeLast() } else { mismatched = true }
            default: break
            }
        }
    }

    /// Takes one line; returns the inputs it completed, in order (none while an input is
    /// unfinished; two when a line after an `if` block ends it and is complete itself).
    public mutating func feed(_ line: String, session: Session) -> [String] {
        if waitingForElse {
            if ShellInput.startsWithElse(line) {
                waitingForElse = false
                buffer += "\n" + line
                scan(line)
                return complete(session)
            }
            let done = buffer
            clear()
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return [done] }
            return [done] + feed(line, session: session)
        }
        if buffer.isEmpty {
            let t = line.drop { $0 == " " || $0 == "\t" }
            if t.isEmpty { return [] }
            if t.hasPrefix(":") || t.hasPrefix("?") { return [line] }
        }
        buffer += buffer.isEmpty ? line : "\n" + line
        scan(line)
        return complete(session)
    }

    /// The unfinished input at the end of the input (Ctrl-D, end of a file), if any.
    public mutating func finish() -> String? {
        defer { clear() }
        return buffer.isEmpty ? nil : buffer
    }

    mutating func complete(_ session: Session) -> [String] {
        if !mismatched && (inString || !open.isEmpty) { return [] }
        parses += 1
        let (program, errors) = Parser.parse(buffer)
        if errors.first?.atEnd == true { return [] }
        // an `else` with no `if` before it (after an empty line) is an error, but its block
        // is read to its closing `}` first, so that the block is reported, not run
        if !errors.isEmpty, ShellInput.startsWithElse(buffer), ShellInput.openBraces(buffer) > 0 { return [] }
        if errors.isEmpty, ShellInput.endsWithIfBlock(buffer, program) {
            waitingForElse = true
            return []
        }
        let done = buffer
        clear()
        return [done]
    }

    /// True when the first word of `text` is `elif` or `else`.
    static func startsWithElse(_ text: String) -> Bool {
        let word = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" }.prefix { $0.isLetter || $0 == "_" }
        return word == "elif" || word == "else"
    }

    /// How many `{` are not closed yet.
    static func openBraces(_ source: String) -> Int {
        Lexer.tokenize(source).tokens.reduce(0) { n, t in
            t.kind == .op("{") ? n + 1 : (t.kind == .op("}") ? n - 1 : n)
        }
    }

    /// True when the last statement is an `if` (or `elif`) without `else` whose closing
    /// `}` is the last token of the input.
    static func endsWithIfBlock(_ source: String, _ program: Program) -> Bool {
        guard case .if(_, let elseBody, _)? = program.statements.last, elseBody == nil else { return false }
        let tokens = Lexer.tokenize(source).tokens
        guard let last = tokens.last(where: { $0.kind != .eof && $0.kind != .newline }) else { return false }
        return last.kind == .op("}")
    }
}
