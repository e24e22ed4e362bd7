import Foundation
import Testing
@testable import BPLang
import BPTestSupport

@Suite struct AutodiffTests {
    /// Every builtin function's derivative, through the language, against a central
    /// difference computed by the language itself with numgrad (h = 1e-5).
    @Test(arguments: ["exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "softplus"])
    func builtinDerivative(_ name: String) {
        let src = """
        x = 0.7
        y = \(name)(x) * 3
        backward(y)
        assert close(x.grad, numgrad(y, x), tol=1e-6), "\(name)"
        print(x.grad)
        """
        #expect(run(src).status == .ok, "\(name): \(run(src).err)")
    }

    @Test func operatorsAndTwoArgumentBuiltins() {
        for expr in ["a + b", "a - b", "a * b", "a / b", "a ^ b", "-a * b", "maximum(a, b)", "minimum(a, b)", "a % b"] {
            let src = "a = 1.3\nb = 0.6\ny = \(expr)\nbackward(y)\nassert close(a.grad, numgrad(y, a), tol=1e-5) and close(b.grad, numgrad(y, b), tol=1e-5), \"\(expr)\""
            let r = run(src)
            #expect(r.status == .ok, "\(expr): \(r.err)")
        }
    }

    @Test func inPlaceUpdateKeepsTheLeafAndSharing() {
        #expect(output("w = 2\np = w\np -= 1\nf = w * 3\nbackward(f)\nprint(w, w.grad)") == "1 3\n")
        // W = W - ... builds a new node instead
        #expect(output("w = 2\nf = w * w\nbackward(f)\nw = w - 0.1 * w.grad\nprint(w)") == "1.6\n")
    }

    @Test func usingAChangedValueInBackwardIsAnError() {
        let r = run("b = 2\nf = b * b\nb -= 1\nbackward(f)")
        #expect(r.status == .runtimeError)
        #expect(r.err.contains("'b' was changed in place"))
    }

    @Test func gradWithoutTouchingGradsAndGradOfFunction() {
        #expect(output("x = 3\ny = x ^ 2\nprint(grad(y, x))\ndef s(t) = (3 * t + 1) ^ 2\nd = grad(s)\nprint(d(1))") == "6\n24\n")
        #expect(run("x = 3\ny = x ^ 2\ng = grad(y, x)\nprint(x.grad)").err.contains("no gradient yet"))
    }

    @Test func detachAndNogradMakeConstants() {
        #expect(run("a = 2\nc = detach(a * 3)\nprint(c.grad)").err.contains("constant"))
        #expect(run("a = 2\nnograd { c = a * 3 }\nprint(c.grad)").err.contains("no gradient"))
    }

    @Test func gradcheckPrintsATableAndReturnsTrue() {
        let out = output("x = 2\ny = -3\nz = 1\nf = sigmoid(x * y + z)\nprint(gradcheck(f))")
        #expect(out.hasPrefix("leaf  analytic"))
        #expect(out.hasSuffix("true\n"))
    }

    @Test func millionNodeTopLevelAccumulatorWarnsOnceAndSurvives() {
        let src = "s = 0\nx = 1\nfor i in range(1000001) { s = s + x }\nbackward(s)\nprint(x.grad)\ns = 0"
        #expect(output(src) == "1000001\n")
    }
}

@Suite struct AutodiffBuiltinTests {
    @Test func seedScalesTheGradients() {
        #expect(output("a = 3\nf = a * a\nbackward(f, 2)\nprint(a.grad)") == "12\n")
    }

    @Test func valueIsAConstantSnapshot() {
        #expect(output("a = 3\nf = a * 2\nv = f.value\na -= 1\nprint(v, f)") == "6 6\n")
        #expect(run("a = 3\nv = a.value\nprint(v.grad)").err.contains("constant"))
    }

    @Test func zeroGradAndCopy() {
        #expect(output("a = 3\nf = a * a\nbackward(f)\nzero_grad(a)\nprint(a.grad)") == "0\n")
        // copy is independent: changing it leaves the original alone
        #expect(output("a = 3\nc = copy(a)\nc -= 1\nprint(a, c)") == "3 2\n")
    }

    @Test func helpParagraphsAreWrapped() {
        let i = Interpreter()
        for name in i.builtinNames {
            #expect(i.helpText(name).split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(name)")
        }
    }
}
