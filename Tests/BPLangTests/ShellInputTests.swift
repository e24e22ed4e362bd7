import Testing
@testable import BPLang

/// The shell's line collector (issue 7, item 9: a pasted 3,000-line block took 12 s because
/// the whole buffer was parsed again at every line).
@Suite struct ShellInputTests {
    @Test func aLongPastedBlockIsParsedOnceItCanBeComplete() {
        let session = Session()
        var input = ShellInput()
        var done: [String] = []
        done += input.feed("def f(x) {", session: session)
        for k in 0..<3000 { done += input.feed("  y\(k) = x * \(k) + (\(k) - 1) * [1, 2][0]", session: session) }
        done += input.feed("  return x", session: session)
        done += input.feed("}", session: session)
        #expect(done.count == 1)
        #expect(input.parses <= 2, "parsed \(input.parses) times")
        #expect(session.evaluate(done[0]) == .done)
    }

    @Test func bracketsAndStringsAcrossLinesStillWait() {
        let session = Session()
        var input = ShellInput()
        #expect(input.feed("x = [1,", session: session).isEmpty)
        #expect(input.feed(" \"a ( [ {\",", session: session).isEmpty)  // brackets in a string
        #expect(input.feed(" 3]  # ) a comment", session: session) == ["x = [1,\n \"a ( [ {\",\n 3]  # ) a comment"])
        #expect(input.feed("s = \"multi", session: session).isEmpty)
        #expect(input.feed("line\"", session: session).count == 1)
        // a closing bracket that does not match is reported at once, not waited on
        #expect(input.feed("y = (1, 2]", session: session) == ["y = (1, 2]"])
        #expect(input.feed("z = 1 +", session: session).isEmpty)
        #expect(input.feed("2", session: session) == ["z = 1 +\n2"])
    }
}
