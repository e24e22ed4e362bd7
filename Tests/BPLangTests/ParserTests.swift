import Testing
@testable import BPLang
import BPTestSupport

@Suite struct ParserTests {
    /// Precedence, as values computed by the interpreter (the spec's table, low to high:
    /// or, and, not, comparisons, + -, * / @ %, unary, ^, postfix).
    @Test(arguments: [
        ("-2^2", "-4"), ("2^3^2", "512"), ("2^-1", "0.5"), ("2**3", "8"), ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"), ("-7 % 3", "2"), ("7 % -3", "-2"), ("10 - 2 - 3", "5"), ("12 / 2 / 3", "2"),
        ("not 1 < 2", "false"), ("1 < 2 and 2 < 1", "false"), ("0 or 5", "5"), ("2 and 3", "3"),
        ("1 < 2 < 3", "true"), ("3 > 2 > 2", "false"), ("-2 * -3", "6"), ("not true or true", "true"),
        ("1 + 2 == 3", "true"), ("2 * 3 ^ 2", "18"),
    ])
    func precedence(_ source: String, _ expected: String) {
        #expect(output("print(\(source))") == expected + "\n")
    }

    @Test func everyStatementForm() {
        let src = """
        x = 1
        f := x * 2
        x += 1
        a, b = [3, 4]
        def g(p, k=2) = p * k
        def h(p) {
          q = p + 1
          return q, p
        }
        if x > 5 { y = 0 } elif x == 2 { y = 1 }
        else { y = 2 }
        for i in range(3) { if i == 1 { continue }; if i == 2 { break } }
        n = 0
        while n < 3 { n += 1 }
        nograd { z = x * 3 }
        assert y == 1, "elif"
        L = [1, 2]
        L[0] = 5
        u, v = h(1)
        print(f, a, b, g(3), g(3, k=4), y, n, z, L, u, v)
        """
        #expect(output(src) == "4 3 4 6 12 1 3 6 [5 2] 2 1\n")
    }

    @Test func syntaxErrorFormatWithCaret() {
        let r = run("x = 1\ny = (2 +\n")
        #expect(r.status == .syntaxError)
        #expect(r.err.hasPrefix("t.bp:3:1: error: expected an expression, found end of input"))
    }

    @Test func recoveryReportsEveryError() {
        let r = run("a = )\nb = 2\nc = (\nd = ]")
        #expect(r.status == .syntaxError)
        let lines = r.err.split(separator: "\n").filter { $0.contains("error:") }
        #expect(lines.count >= 2)
        #expect(lines[0] == "t.bp:1:5: error: expected an expression, found ')'")
    }

    @Test func exactErrorTextWithSourceLineAndCaret() {
        let r = run("x = 1 +* 2")
        #expect(r.err == "t.bp:1:8: error: expected an expression, found '*'\n  x = 1 +* 2\n         ^\n")
    }

    @Test func nestingTooDeepIsAnErrorNotACrash() {
        let r = onBigStack { run(String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)) }
        #expect(r.status == .syntaxError)
        #expect(r.err.contains("expression nested too deeply"))
    }

    @Test func blockBraceMustBeOnTheSameLine() {
        let r = run("if true\n{ x = 1 }")
        #expect(r.err.contains("expected '{' to start the body of 'if' on the same line"))
    }

    @Test func breakOutsideLoopAndReturnOutsideFunction() {
        #expect(run("break").err.contains("'break' outside a loop"))
        #expect(run("return 1").err.contains("'return' outside a function"))
    }

    @Test func unfinishedInputAsksForMore() {
        let c = CapturedSession()
        for text in ["(1 +", "f = [1,", "if x {", "x = \"abc", "y = 2 *"] { #expect(c.type(text) == .needsMore, "\(text)") }
        for text in ["1 + 2", "x = )", "if x { }"] { #expect(c.type(text) != .needsMore, "\(text)") }
    }
}
