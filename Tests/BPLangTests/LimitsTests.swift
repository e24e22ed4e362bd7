import Foundation
import Testing
@testable import BPLang
import BPTestSupport

/// The standing catalogue of issue 7 for the language: deep nesting is a syntax error, deep
/// recursion an error at the call, long lines cost linear time — never a crash.
@Suite struct LimitsTests {
    @Test(arguments: [
        String(repeating: "(", count: 100_000),
        String(repeating: "-", count: 100_000) + "1",
        String(repeating: "[", count: 100_000),
        String(repeating: "not ", count: 100_000) + "true",
        String(repeating: "if true {\n", count: 100_000),
        "x = " + String(repeating: "2^", count: 100_000) + "1",
    ])
    func deepNestingIsASyntaxError(_ source: String) {
        let r = onBigStack { run(source) }
        #expect(r.status == .syntaxError)
        #expect(r.err.contains("expression nested too deeply (more than 1000 levels)"), "\(r.err.prefix(300))")
    }

    @Test func recursionWorksTenThousandDeepAndStopsCleanlyPastTheLimit() {
        let ok = onBigStack { run("def f(n) { if n == 0 { return 0 }\n return 1 + f(n - 1) }\nprint(f(10000))") }
        #expect(ok.out == "10000\n", "\(ok.err)")
        let deep = onBigStack { run("def f(n) = 1 + f(n + 1)\nf(0)") }
        #expect(deep.status == .runtimeError)
        #expect(deep.err.contains("recursion too deep"))
    }

    /// An expression nested 500 deep at every level of a 10,000-deep recursion: it runs, or
    /// stops with the recursion error when the stack is short — it never overflows.
    @Test func nestedExpressionsInsideDeepRecursion() {
        let nested = String(repeating: "(", count: 500) + "f(n - 1)" + String(repeating: " + 0)", count: 500)
        let r = onBigStack { run("def f(n) {\n if n == 0 { return 0 }\n return \(nested)\n}\nprint(f(10000))") }
        #expect(r.status == .ok || r.err.contains("recursion too deep") || r.err.contains("the stack is exhausted"), "\(r.err.prefix(300))")
    }

    /// A 40,000-term line: each node's label is a range of the source, not a copy of its
    /// prefix (that made this line take minutes and gigabytes).
    @Test(.disabled(if: ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil,
                    "under scripts/asan: its larger frames stop the nesting earlier"))
    func aLongLineIsLinear() {
        let r = onBigStack { run("a = 1\nx = " + Array(repeating: "a", count: 40_000).joined(separator: " + ") + "\nbackward(x)\nprint(x, a.grad)") }
        #expect(r.out == "40000 40000\n", "\(r.err.prefix(300))")
    }

    /// The stack guard stops deep compilation on the 8 MiB stack of a main thread with an
    /// error instead of a crash (the interpreter itself runs on a 512 MiB stack).
    @Test func aSmallStackGivesAnErrorNotACrash() {
        let result = onThread(stackSize: 8 << 20) { run("x = " + Array(repeating: "1", count: 60_000).joined(separator: " and ")) }
        #expect(result.status == .syntaxError)
        #expect(result.err.contains("nested too deeply"), "\(result.err.prefix(300))")
    }
}
