/// The words of the language that cannot be used as names.
public enum Keyword: String, CaseIterable, Sendable {
    case def, `return`, `if`, elif, `else`, `for`, `in`, `while`, `break`, `continue`
    case and, or, not, `true`, `false`, none, assert, nograd
}

/// One piece of a formatted string: literal text, or an expression (a range of the
/// source) with an optional format spec.
public enum FStringPiece: Equatable, Sendable {
    case text(String)
    case expr(start: Int, end: Int, loc: SourceLocation, spec: String?)
}

public enum TokenKind: Equatable, Sendable {
    case number(Double)
    case string(String)
    case fstring([FStringPiece])
    case name(String)
    case keyword(Keyword)
    /// Punctuation and operators, spelled as in the source (`**` is reported as `^`).
    case op(String)
    case newline
    case eof
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var loc: SourceLocation
    /// Offsets of the token's first and one-past-last scalar in the source.
    public var start: Int
    public var end: Int

    /// How an error message names this token.
    public var describe: String {
        switch kind {
        case .number: return "a number"
        case .string, .fstring: return "a string"
        case .name(let n): return "name '\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .op(";"): return "';'"
        case .op(let o): return "'\(o)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        }
    }
}
