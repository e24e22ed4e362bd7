import Foundation
import Testing
@testable import BPLang
import BPTestSupport
@testable import BPTensor

@Suite struct InterpreterTests {
    @Test func printingNumbersListsAndBools() {
        #expect(output("print(15, 3628800, -0, 0.802184, 1.5e-8, 123456789.0 * 1.000001, 1/0, -1/0)") ==
                "15 3628800 0 0.802184 1.5e-08 1.23457e+08 inf -inf\n")
        // np.array([300, 2]) prints as [300   2]; shapes are lists and print as Python lists
        #expect(output("print([300, 2], shape([[1, 2]]), true, none, [1, \"a\"])") == "[300   2] [1, 2] true none [1, \"a\"]\n")
    }

    @Test func formatSpecs() {
        // expected values from Python's format(): format(-1, "5.2f"), format(0.0123, ".1%"), ...
        #expect(output(#"s = "ab"; print(f"{-1:5.2f}|{0.0123:.1%}|{1234567:,}|{42:05d}|{3.14159:.3e}|{s:>4}|{s:*^6}|{2:+}|{0.5:g}")"#) ==
                "-1.00|1.2%|1,234,567|00042|3.142e+00|  ab|**ab**|+2|0.5\n")
        #expect(run(#"print(f"{2.5:d}")"#).err.contains("format 'd' needs a whole number, found 2.5"))
    }

    @Test func functionsDefaultsKeywordsAndScope() {
        #expect(output("""
        k = 10
        def f(x, k=2) = x * k
        def g(x) {
          k = 1
          return x + k
        }
        print(f(3), f(3, k=5), g(1), k)
        """) == "6 15 2 10\n")
    }

    @Test func recursionWorksToTenThousandAndFailsCleanlyPastTheLimit() {
        let ok = onBigStack { run("def d(n) { if n == 0 { return 0 }; return 1 + d(n - 1) }\nprint(d(10000))") }
        #expect(ok.out == "10000\n")
        let r = onBigStack { run("def inf(n) = inf(n + 1)\ninf(0)") }
        #expect(r.status == .runtimeError)
        #expect(r.err.contains("recursion too deep"))
    }

    @Test func unknownNameSuggestsTheNearest() {
        let r = run("x = sigmod(1)")
        #expect(r.err.hasPrefix("t.bp:1:5: error: unknown name 'sigmod'; did you mean 'sigmoid'?"))
    }

    @Test func runtimeErrorPointsAtTheOperator() {
        let r = run("s = \"a\"\ny = 1 + s")
        #expect(r.err.hasPrefix("t.bp:2:7: error: '+' needs numbers or tensors, found a number and a string"))
    }

    @Test func assertFailureHasMessageAndLocation() {
        let r = run("x = 1\nassert x == 2, \"x should be 2\"")
        #expect(r.status == .runtimeError)
        #expect(r.err.hasPrefix("t.bp:2:1: error: assertion failed: x should be 2"))
    }

    @Test func formulaIsReevaluatedAtEachUse() {
        #expect(output("a = 1\nb = 2\nf := a * b\na = 5\nprint(f)\nbackward(f)\nprint(a.grad, b.grad)") == "10\n2 5\n")
    }

    @Test func truthOfManyElementsIsAnError() {
        // a 2-element tensor in a condition
        #expect(run("if [1, 2] > 0 { }").err.contains("the truth value of a (2,) tensor is ambiguous; use any() or all()"))
    }

    @Test func countsMustBeWholeNumbers() {
        #expect(run("range(2.5)").err.contains("must be a whole number, found 2.5"))
        #expect(run("range(1e300)").err.contains("range()'s end is too large: 1e+300 (at most 2^53 in magnitude)"))
        #expect(output("n = 300 / 2\nprint(len(range(n)))") == "150\n")
    }

    @Test func interruptStopsALoopAndKeepsVariables() {
        let c = CapturedSession()
        c.type("n = 0")
        c.interp.interruptFlag.pointee = 1
        #expect(c.type("while true { n += 1 }") == .failed)
        #expect(c.err == "interrupted\n")
        #expect(c.interp.global("n")?.asDouble == 0)
        #expect(c.type("n += 1") == .done)
        #expect(c.interp.global("n")?.asDouble == 1)
    }

    @Test func shellPrintsValuesAndHidesAfterSemicolon() {
        let c = CapturedSession()
        c.type("1 + 2")
        c.type("5;")
        c.type("_ * 2")
        #expect(c.out == "3\n6\n")
    }

    @Test func transcriptFilterStripsPromptsAndSkipsOutput() {
        var f = TranscriptFilter()
        #expect(f.accept("bp> x = 2", continuing: false) == "x = 2")
        #expect(f.accept("... + 1", continuing: true) == "+ 1")
        #expect(f.accept("15", continuing: false) == nil)
        f.endPaste()
        #expect(f.accept("x", continuing: false) == "x")
    }

    @Test func completionOffersNamesAttributesAndCommands() {
        let s = Session()
        _ = s.evaluate("weight = 2")
        #expect(s.completions(for: "sigm", before: "") == ["sigmoid"])
        #expect(s.completions(for: "wei", before: "") == ["weight"])
        #expect(s.completions(for: "weight.gr", before: "") == ["weight.grad"])
        #expect(s.completions(for: ":sa", before: "") == [":save"])
        #expect(s.completions(for: "nog", before: "") == ["nograd"])
    }

    @Test func everyBuiltinHasHelpWithSignatureParagraphAndExample() {
        let i = Interpreter()
        for name in i.builtinNames {
            guard case .function(let f)? = i.global(name) else { continue }
            let text = i.helpText(name)
            // a signature longer than a line (train's) is broken after a comma
            #expect(text.hasPrefix(Help.wrapSignature(f.signature) + "\n  "), "\(name)")
            #expect(text.contains("Example: "), "\(name) has no example")
        }
    }
}

@Suite struct SuggestTests {
    @Test(arguments: [("sigmod", "sigmoid"), ("bakward", "backward"), ("lenn", "len"), ("exo", "exp"), ("y", nil), ("zz", nil), ("completely_new", nil)] as [(String, String?)])
    func nearestName(_ typo: String, _ expected: String?) {
        #expect(Suggest.nearest(typo, in: Interpreter().builtinNames) == expected)
    }
}

/// The catalogue's "100 interrupts in a row, state intact": Ctrl-C (the flag, set from
/// another thread while a loop runs) stops each statement, and every variable keeps the
/// value it had when the statement stopped.
@Suite struct RepeatedInterruptTests {
    @Test func aHundredInterruptsInARowKeepEveryVariable() {
        let c = CapturedSession()
        c.type("a = 1; b = [1, 2]; n = 0")
        // the flag's address crosses to the other thread, as a signal handler reaches it
        let flag = Int(bitPattern: c.interp.interruptFlag)
        for _ in 0..<100 {
            let t = Thread { usleep(2000); UnsafeMutablePointer<Int32>(bitPattern: flag)!.pointee = 1 }
            t.start()
            #expect(c.type("while true { n += 1 }") == .failed)
        }
        #expect(c.err == String(repeating: "interrupted\n", count: 100))
        #expect(c.type("print(a, b)") == .done)
        #expect(c.interp.global("a")?.asDouble == 1)
        #expect((c.interp.global("n")?.asDouble ?? 0) > 0)
    }
}
