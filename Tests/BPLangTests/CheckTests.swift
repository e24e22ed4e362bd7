import Testing
@testable import BPLang
import BPTestSupport

/// `check(f, a=5, ...)`, the homework checker, beyond the lesson goldens of the corpus
/// (Tests/corpus/check_*.bp): its verdict as a value, gradients left alone, the tolerance, and
/// the errors a student meets. Expected gradients are worked by hand: f = (a + b) * (b + c) at
/// a = 1, b = 2, c = 3 has df/da = 5, df/db = 8, df/dc = 3.
@Suite struct CheckTests {
    let lesson = "a = 1; b = 2; c = 3; f = (a + b) * (b + c)\n"

    func message(_ source: String) -> String {
        let first = run(source).err.split(separator: "\n").first.map(String.init) ?? ""
        return first.range(of: "error: ").map { String(first[$0.upperBound...]) } ?? first
    }

    @Test func returnsWhetherEveryAnswerIsRight() {
        #expect(output(lesson + "r = check(f, a=5, b=8, c=3)\nprint(r)").hasSuffix("true\n"))
        #expect(output(lesson + "r = check(f, a=5, b=5)\nprint(r)").hasSuffix("false\n"))
    }

    /// gradcheck's tolerance: absolute 1e-5 plus 1e-3 relative to backward's value.
    @Test func toleranceIsGradchecks() {
        #expect(output(lesson + "print(check(f, b=8.007))").hasSuffix("true\n"))
        #expect(output(lesson + "print(check(f, b=8.01))").hasSuffix("false\n"))
    }

    @Test func gradientsAreLeftAsTheyWere() {
        let out = output(lesson + "backward(f, seed=2)\ncheck(f, a=5, b=1)\nprint(a.grad, b.grad, c.grad)")
        #expect(out.hasSuffix("10 16 6\n"), "\(out)")
        // a graph no backward has reached keeps no gradient
        #expect(message(lesson + "check(f, b=8)\nprint(b.grad)").hasPrefix("'b' has no gradient yet"))
    }

    /// A number is accepted for a one-element tensor; a tensor of another shape is wrong by shape.
    @Test func oneElementShapesCompareAsNumbers() {
        let out = output("w = [[2]]; x = 3; y = w * x\ncheck(sum(y), w=3)\ncheck(sum(y), w=[3, 3])")
        #expect(out.contains("d(sum(y))/dw = 3   right"), "\(out)")
        #expect(out.contains("wrong shape: your answer is (2,), w is (1,1)"), "\(out)")
    }

    /// Intermediate nodes by the names explain gives them (t1, t2, ...).
    @Test func unnamedNodesGoByExplainsNames() {
        let out = output(lesson + "check(f, t1=5, t2=3)")
        #expect(out.contains("df/dt1 = 5   right") && out.contains("df/dt2 = 3   right"), "\(out)")
    }

    @Test(arguments: [
        ("check(f)", "check() needs your gradients as keyword arguments, one for each variable: check(f, a=5, b=7)"),
        ("check(f, d=8)", "check(): f has no variable 'd' in its graph (its variables: a, b, t1, c, t2)"),
        ("check(f, a=\"5\")", "check(): the answer for 'a' must be a number or a tensor, found a string"),
        ("check(f, a=5, a=6)", "keyword argument 'a' given twice"),
        ("check(3, a=5)", "check() needs a result computed from leaves"),
    ])
    func errorsSayWhatToDo(_ call: String, _ expected: String) {
        let m = message(lesson + call)
        #expect(m.hasPrefix(expected), "\(call): \(m)")
    }

    /// Other builtins still refuse a keyword they do not have: only check collects them.
    @Test func onlyCheckCollectsKeywords() {
        #expect(message("explain(1, b=2)").hasPrefix("explain() has no parameter 'b'"))
    }
}
