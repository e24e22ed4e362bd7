import Testing
@testable import BPLang

@Suite struct LexerTests {
    func kinds(_ s: String) -> [TokenKind] { Lexer.tokenize(s).tokens.map(\.kind) }

    @Test(arguments: [("3", 3.0), ("3.25", 3.25), (".5", 0.5), ("1e-3", 0.001), ("2.5E+4", 25000)])
    func numbers(_ text: String, _ value: Double) {
        #expect(kinds(text) == [.number(value), .eof])
    }

    @Test func unicodeNamesKeywordsAndOperators() {
        #expect(kinds("δ = α ** 2 // x") == [.name("δ"), .op("="), .name("α"), .op("^"), .number(2), .op("//"), .name("x"), .eof])
        #expect(kinds("nograd and e") == [.keyword(.nograd), .keyword(.and), .name("e"), .eof])
    }

    @Test func newlinesInsideBracketsAndAfterOperatorsDoNotEndStatements() {
        #expect(kinds("(1,\n2)\nx +\n y") == [.op("("), .number(1), .op(","), .number(2), .op(")"), .newline, .name("x"), .op("+"), .name("y"), .eof])
    }

    @Test func stringsAndEscapes() {
        #expect(kinds(#""a\n\"b\"""#) == [.string("a\n\"b\""), .eof])
    }

    @Test func fstringPiecesKeepSourcePositions() throws {
        let toks = Lexer.tokenize("x = f\"v {a:.2f} w\"").tokens
        guard case .fstring(let pieces) = toks[2].kind else { Issue.record("not an f-string"); return }
        #expect(pieces.count == 3)
        guard case .expr(let s, let e, let loc, let spec) = pieces[1] else { Issue.record("no expr"); return }
        #expect((s, e, loc, spec) == (9, 10, SourceLocation(line: 1, column: 10), ".2f"))
    }

    @Test func everyTokenHasLineAndColumn() {
        let toks = Lexer.tokenize("a = 1\n  b").tokens
        #expect(toks.map(\.loc) == [.init(line: 1, column: 1), .init(line: 1, column: 3), .init(line: 1, column: 5),
                                    .init(line: 1, column: 6), .init(line: 2, column: 3), .init(line: 2, column: 4)])
    }

    @Test func unterminatedStringIsAnEndOfInputError() {
        let errs = Lexer.tokenize("\"abc").errors
        #expect(errs.count == 1 && errs[0].atEnd && errs[0].message == "unterminated string")
    }
}
