import Testing
@testable import BPLang
import BPTestSupport

/// The data sets against NumPy. The expected numbers were printed by this script (NumPy's
/// legacy generator; make_moons / make_circles written out from scikit-learn's definitions in
/// sklearn/datasets/_samples_generator.py, shuffle=False, since scikit-learn is not installed):
///
///     import numpy as np
///     def spiral(n, noise):
///         m = n // 2; th = np.linspace(0, 4*np.pi, m); Xs = []
///         for k in range(2):
///             t = th + k*np.pi; r = t / (2*np.pi)
///             x = r*np.cos(t) + np.random.randn(m)*noise
///             y = r*np.sin(t) + np.random.randn(m)*noise
///             Xs.append(np.c_[x, y])
///         return np.vstack(Xs)
///     def moons(n, noise):
///         o = n // 2; i = n - o
///         X = np.vstack([np.append(np.cos(np.linspace(0, np.pi, o)), 1 - np.cos(np.linspace(0, np.pi, i))),
///                        np.append(np.sin(np.linspace(0, np.pi, o)), 1 - np.sin(np.linspace(0, np.pi, i)) - 0.5)]).T
///         return X + np.random.normal(scale=noise, size=X.shape)
///     def circles(n, noise, factor=0.5):
///         o = n // 2; i = n - o
///         lo = np.linspace(0, 2*np.pi, o, endpoint=False); li = np.linspace(0, 2*np.pi, i, endpoint=False)
///         X = np.vstack([np.append(np.cos(lo), np.cos(li)*factor), np.append(np.sin(lo), np.sin(li)*factor)]).T
///         return X + np.random.normal(scale=noise, size=X.shape)
///     np.random.seed(42); X = spiral(300, 0.2)
///     print([[float(v) for v in X[r]] for r in [0, 1, 150, 299]])   # and likewise for the others
///
/// (each number printed by itself: an array's repr with 17 digits of precision is not exact)
@Suite struct DataBuiltinsTests {
    /// Rows of X after `seed(42)`, printed with 17 significant digits.
    static func rows(_ call: String, _ rows: [Int]) -> [[Double]] {
        let out = output("seed(42)\nX, y = \(call)\n" + rows.map { "print(f\"{X[\($0), 0]:.17g} {X[\($0), 1]:.17g}\")" }.joined(separator: "\n"))
        return out.split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }
    }

    @Test func spiralEqualsNumPy() {
        #expect(Self.rows("spiral(300, 0.2)", [0, 1, 150, 299]) == [
            [0.09934283060224654, 0.05009857006917531], [-0.014277750790436552, 0.0704203548106988],
            [-0.6657990021844145, -0.012535819454634315], [-2.71184270437779, 0.07546009860897197]])
    }

    @Test func moonsEqualMakeMoons() {
        #expect(Self.rows("moons(200, 0.1)", [0, 1, 100, 199]) == [
            [1.0496714153011233, -0.013826430117118467], [1.0642653961932544, 0.1840309191388702],
            [0.03577873603482833, 0.5560784526368234], [1.9885460154747383, 0.6237816311973461]])
    }

    @Test func circlesEqualMakeCircles() {
        #expect(Self.rows("circles(200, 0.05)", [0, 1, 100, 199]) == [
            [1.0248357076505616, -0.006913215058559233], [1.0304111553333062, 0.13894201234971465],
            [0.5178893680174141, 0.02803922631841172], [0.4932863719515049, 0.03049555583401646]])
    }

    @Test func anOddNumberOfMoonsPutsTheExtraPointInClass1() {
        // np.random.seed(7); moons(7, 0.3): 3 points of class 0, then 4 of class 1
        #expect(output("X, y = moons(7, 0.3); print(y.T)") == "[[0 0 0 1 1 1 1]]\n")
        let r = output("seed(7); X, y = moons(7, 0.3); print(f\"{X[6, 0]:.17g} {X[6, 1]:.17g}\")")
        #expect(r.split(separator: "\n")[0].split(separator: " ").map { Double($0)! } == [2.1515898122590253, 0.4215930754425058])
    }

    @Test func theDefaultsAreTheSpecs() {
        #expect(output("X, y = spiral(); print(shape(X))\nX, y = moons(); print(shape(X))\nX, y = circles(); print(shape(y))")
            == "[300, 2]\n[200, 2]\n[200, 1]\n")
    }

    @Test func dataSetsDrawFromTheSessionsGenerator() {
        // the same seed, the same data; the generator moves on, so the next draw differs
        let out = output("seed(3); A, a = spiral(10); seed(3); B, b = spiral(10); print(all(A == B)); C, c = spiral(10); print(all(A == C))")
        #expect(out == "true\nfalse\n")
    }
}
