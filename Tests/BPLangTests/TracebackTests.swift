import Testing
@testable import BPLang
import BPTestSupport

/// A runtime error inside calls lists the calls after the caret, innermost first.
@Suite struct TracebackTests {
    /// Runs a script with a given recursion limit; returns standard error.
    func errors(_ source: String, maxCallDepth: Int = 20_000) -> String {
        let c = CapturedSession()
        c.interp.maxCallDepth = maxCallDepth
        _ = onBigStack { c.run(source) }
        return c.err
    }

    @Test func threeCallsDeepShowAllThreePlaces() {
        let err = errors("def g(x) = x + z\ndef f(x) = 2 * g(x)\n\ny = f(3)\n")
        #expect(err == """
            t.bp:1:16: error: unknown name 'z'
              def g(x) = x + z
                             ^
              in g, called at t.bp:2:16
              in f, called at t.bp:4:5

            """)
    }

    @Test func anErrorAtTheTopLevelHasNoCalls() {
        #expect(errors("x = 1\ny = x + z\n").split(separator: "\n").count == 3)
    }

    /// Calling with the wrong arguments is the caller's error: the callee is not listed.
    @Test func aBindingErrorIsTheCallers() {
        let lines = errors("def f(a) = a\ndef g() = f(1, 2)\ng()\n").split(separator: "\n")
        #expect(lines.first == "t.bp:2:11: error: f() takes 1 argument but 2 were given")
        #expect(lines.dropFirst(3) == ["  in g, called at t.bp:3:1"])
    }

    /// Deep recursion lists the innermost 20 calls, then how many more (SPEC §1).
    @Test func deepRecursionListsTwentyCallsThenACount() {
        let depth = 300
        let lines = Array(errors("def down(n) = down(n + 1)\ndown(0)\n", maxCallDepth: depth).split(separator: "\n").dropFirst(3))
        #expect(lines.count == Traceback.limit + 1)
        #expect(lines.dropLast().allSatisfy { $0 == "  in down, called at t.bp:1:15" })
        #expect(lines.last == "  ... \(depth - Traceback.limit) more")
    }

    /// Mutual recursion: the same, the two functions alternating.
    @Test func mutualRecursionAlternates() {
        let depth = 100
        let lines = Array(errors("def even(n) = odd(n)\ndef odd(n) = even(n)\neven(0)\n", maxCallDepth: depth)
            .split(separator: "\n").dropFirst(3))
        #expect(lines.count == Traceback.limit + 1)
        #expect(lines.first == "  in odd, called at t.bp:1:15")
        #expect(lines[1] == "  in even, called at t.bp:2:14")
        #expect(lines.last == "  ... \(depth - Traceback.limit) more")
    }

    /// In the shell, locations have no file name, and the calls may come from earlier inputs.
    @Test func theShellListsTheCallsToo() {
        let c = CapturedSession()
        #expect(c.type("def g(x) = x / [1, 2] @ [1]") == .done)
        #expect(c.type("def f(x) = g(x) + 1") == .done)
        #expect(c.type("1 + f(2)") == .failed)
        let lines = c.err.split(separator: "\n")
        #expect(lines.first?.hasPrefix("1:23: error: ") == true, "\(c.err)")
        #expect(Array(lines.dropFirst(3)) == ["  in g, called at 1:12", "  in f, called at 1:5"])
    }
}
