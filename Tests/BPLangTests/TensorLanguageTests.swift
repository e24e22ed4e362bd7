import Testing
@testable import BPLang
import BPTestSupport

@Suite(.serialized) struct TensorLanguageTests {
    /// np.random.seed(0); np.random.randn(2, 3) and np.random.seed(42); np.random.uniform(-1, 2, 2)
    /// after rand(3), randn(3) (values from NumPy 2.4, printed with repr(...tolist())).
    @Test func seededBuiltinsGiveNumPysNumbers() {
        let out = output("""
        seed(0)
        r = randn(2, 3)
        print(f"{r[0, 0]:.15f} {r[1, 2]:.15f}")
        seed(42)
        a = rand(3)
        b = randn(3)
        u = uniform(-1, 2, 2)
        print(f"{u[0]:.15f} {u[1]:.15f}")
        seed(42)
        n = 8 / 2
        W1 = randn(2, n) * 0.5
        print(f"{W1[0, 3]:.15f}")
        """)
        #expect(out == "1.764052345967664 -0.977277879876411\n1.124217733388137 -0.938246517112593\n0.761514928204013\n")
    }

    @Test func seedRange() {
        #expect(run("seed(-1)").err.contains("seed() takes a whole number from 0 to 2^32 - 1, found -1"))
        #expect(run("seed(4294967296)").err.contains("found 4294967296"))
        #expect(run("seed(1.5)").err.contains("must be a whole number, found 1.5"))
    }

    /// Expected layouts printed by NumPy 2.4 (`print(np.array(...))`); floats follow the
    /// spec instead of NumPy: every element with 4 decimals.
    @Test(arguments: [
        ("[[0, 0], [0, 1]]", "[[0 0]\n [0 1]]"),
        ("[0.12345, 0.5]", "[0.1235 0.5000]"),
        ("[[1, -2.5], [3, 4]]", "[[ 1.0000 -2.5000]\n [ 3.0000  4.0000]]"),
        ("arange(30)", "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29]"),
        // whole numbers spanning more than a factor 1000 print in scientific notation, as
        // NumPy prints np.arange(2000.) with precision=4, floatmode='fixed' (SPEC §7 Printing)
        ("arange(2000)", "[0.0000e+00 1.0000e+00 2.0000e+00 ... 1.9970e+03 1.9980e+03 1.9990e+03]"),
        ("arange(1001)", "[   0    1    2 ...  998  999 1000]"),
        ("reshape(arange(24), 2, 3, 4)", "[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]"),
        ("reshape(arange(2000), 1000, 2)", "[[0.0000e+00 1.0000e+00]\n [2.0000e+00 3.0000e+00]\n [4.0000e+00 5.0000e+00]\n ...\n [1.9940e+03 1.9950e+03]\n [1.9960e+03 1.9970e+03]\n [1.9980e+03 1.9990e+03]]"),
        ("zeros(0)", "[]"),
    ])
    func printsLikeNumPy(_ expr: String, _ expected: String) {
        #expect(output("print(\(expr))") == expected + "\n")
    }

    @Test func precisionSetsTensorDecimals() {
        let c = CapturedSession()
        c.type(":precision 2")
        #expect(c.reply("[0.12345, 0.5]") == "[0.12 0.50]\n")
    }

    /// Every shape error names the operation and both shapes, at the operator or call.
    @Test(arguments: [
        ("X = zeros(4, 2)\nW1 = zeros(4, 1)\na1 = sigmoid(X @ W1)", "t.bp:3:16: error: shapes (4,2) and (4,1) do not match for '@': inner sizes 2 and 4 differ"),
        ("a = ones(4, 2) + ones(3)", "t.bp:1:16: error: shapes (4,2) and (3,) do not match for '+'"),
        ("a = ones(2) * ones(3)", "t.bp:1:13: error: shapes (2,) and (3,) do not match for '*'"),
        ("a = ones(2, 2, 2) @ ones(2, 2)", "t.bp:1:19: error: '@' takes 1-d and 2-d tensors, found shapes (2,2,2) and (2,2)"),
        ("a = 2 @ ones(2)", "t.bp:1:7: error: '@' takes 1-d and 2-d tensors, found shapes () and (2,)"),
        ("a = reshape(ones(6), 4, 2)", "t.bp:1:5: error: cannot reshape a tensor of size 6 into shape (4,2)"),
        ("a = concat([ones(2, 2), ones(3, 3)])", "t.bp:1:5: error: shapes (2,2) and (3,3) do not match for 'concat'"),
        ("a = stack([ones(2), ones(3)])", "t.bp:1:5: error: shapes (2,) and (3,) do not match for 'stack'"),
        ("a = where(ones(2) > 0, ones(2), ones(3))", "t.bp:1:5: error: shapes (2,) and (3,) do not match for 'where'"),
        ("a = [[1, 2], [3]] + 1", "t.bp:1:19: error: the list's elements have different shapes, (2,) and (1,), so it is not a tensor"),
        ("a = ones(2) < ones(3)", "t.bp:1:13: error: shapes (2,) and (3,) do not match for '<'"),
        ("a = sum(ones(2, 2), axis=2)", "t.bp:1:5: error: sum(): axis 2 is out of range for a tensor with 2 dimensions"),
        ("x = ones(3)\nx[5]", "t.bp:2:1: error: index 5 is out of range for axis 0 with size 3"),
        ("x = ones(3)\nx[0, 1]", "t.bp:2:1: error: too many indices: 2 for a tensor of shape (3,)"),
        ("x = ones(2, 2)\nx += ones(3)", "t.bp:2:3: error: '+=' cannot update a (2,2) tensor in place with a (3,) value"),
        ("x = ones(2, 2)\nx[0] = ones(3)", "t.bp:2:1: error: cannot assign a value of shape (3,) to a selection of shape (2,)"),
        ("y = ones(4, 1)\nif y > 0 { }", "t.bp:2:4: error: the truth value of a (4,1) tensor is ambiguous; use any() or all()"),
        ("a = zeros(2.5)", "t.bp:1:5: error: a size in zeros() must be a whole number, found 2.5"),
        ("a = zeros(70000, 70000)", "t.bp:1:5: error: zeros(): a tensor of shape (70000,70000) would have more than 268435456 elements (the limit; BP_MAX_ELEMENTS changes it)"),
    ])
    func shapeErrorText(_ source: String, _ expected: String) {
        let r = run(source)
        #expect(r.status == .runtimeError)
        #expect(r.err.split(separator: "\n").first.map(String.init) == expected)
    }

    @Test func comparisonsGiveMasksOrBools() {
        #expect(output("z1 = [-1, 2, 0]\nprint(z1 > 0, 2 < 3, [1, 2] == [1, 2])") == "[0 1 0] true [1 1]\n")
        #expect(output("h = [3, 2, 1]\nprint(h[-1] < h[0])") == "true\n")
        #expect(output("print(any([0, 1]), all([1, 0]), any(true))") == "true false true\n")
    }

    @Test func tensorsAreSharedAndCopyIsIndependent() {
        #expect(output("w1 = [1, 2]\np = w1\np -= 1\nq = copy(w1)\nq[0] = 9\nprint(w1, q)") == "[0 1] [9 1]\n")
        #expect(output("def dec(n) { n -= 1 }\nw = [5, 6]\ndec(w)\nprint(w)") == "[4 5]\n")
    }

    @Test func indexingAndSlicing() {
        let src = """
        x = reshape(arange(12), 3, 4)
        print(x[0], x[-1], x[1:3, 0], x[:, 0], x[1, 2], x[::2, ::-1])
        x[0, 1] = 100
        x[1] = [7, 7, 7, 7]
        x[2, 1:3] += 1
        print(x)
        """
        // numbers as NumPy gives them for the same operations
        #expect(output(src) == "[0 1 2 3] [ 8  9 10 11] [4 8] [0 4 8] 6 [[ 3  2  1  0]\n [11 10  9  8]]\n[[  0 100   2   3]\n [  7   7   7   7]\n [  8  10  11  11]]\n")
    }

    @Test func matmulFollowsNumPyRules() {
        // np.array([[1, 2], [3, 4]]) @ np.array([5, 6]) = [17 39]; [5, 6] @ that = [23 34]; dot = 61
        #expect(output("A = [[1, 2], [3, 4]]\nv = [5, 6]\nprint(A @ v, v @ A, v @ v, (A @ A).shape)") == "[17 39] [23 34] 61 [2, 2]\n")
    }

    @Test func listOfNodesConvertsDifferentiably() {
        #expect(output("a = 2\nb = 3\nW = [[1, 0], [0, 1]]\nf = sum([a, b * 2] @ W)\nbackward(f)\nprint(a.grad, b.grad)") == "1 2\n")
    }

    @Test func broadcastGradientsSumBack() {
        #expect(output("X = ones(4, 3)\nb = zeros(1, 3)\nL = sum(X * 2 + b)\nbackward(L)\nprint(b.grad)") == "[[4 4 4]]\n")
    }
}
