import Foundation
import Testing
@testable import BPLang
import BPTestSupport
@testable import BPTensor

/// The generic checker: `expr` over leaves with the given shapes (random values), reduced to
/// L = sum(expr * W) with random weights W so every output element matters; backward's
/// dL/dv for every leaf v is compared with central differences of L, computed by
/// re-evaluating the expression with one element of v moved by ±h.
func checkGradient(_ expr: String, _ shapes: [String: [Int]], positive: Bool = false, seed: UInt32 = 7,
                   sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    var rng = MersenneTwister(seed: seed)
    let c = CapturedSession()
    let session = c.session
    var leaves: [String: Tensor] = [:]
    for (name, shape) in shapes.sorted(by: { $0.key < $1.key }) {
        let n = shape.reduce(1, *)
        let data = (0..<n).map { _ in positive ? 0.5 + rng.nextDouble() : 2 * rng.nextDouble() - 1 }
        let t = Tensor(shape: shape, data: data, kind: .leaf)
        t.label = Label(name: name)
        leaves[name] = t
        session.interp.define(name, .tensor(t))
    }
    guard session.runScript("__out = detach(\(expr))", file: "check") == .ok, let out = Values.tensor(session.interp.global("__out")!) else {
        Issue.record("\(expr): \(c.err)", sourceLocation: sourceLocation)
        return
    }
    session.interp.define("__W", .tensor({ let w = Tensor(shape: out.shape, data: (0..<out.count).map { _ in 2 * rng.nextDouble() - 1 }); w.isMarkedConstant = true; return w }()))
    func loss() -> Double {
        _ = session.runScript("__L = sum((\(expr)) * __W)", file: "check")
        return session.interp.global("__L")?.asDouble ?? .nan
    }
    _ = session.runScript("__L = sum((\(expr)) * __W)\nbackward(__L)", file: "check")
    #expect(c.err.isEmpty, "\(expr): \(c.err)", sourceLocation: sourceLocation)
    let h = 1e-6
    for (name, t) in leaves {
        guard let analytic = t.grad else { Issue.record("\(expr): no gradient for \(name)", sourceLocation: sourceLocation); continue }
        for i in 0..<t.count {
            let keep = t.data[i]
            t.data[i] = keep + h
            let lp = loss()
            t.data[i] = keep - h
            let lm = loss()
            t.data[i] = keep
            let numeric = (lp - lm) / (2 * h)
            #expect(abs(analytic[i] - numeric) <= 1e-5 + 1e-4 * abs(numeric),
                    "\(expr): d/d\(name)[\(i)] analytic \(analytic[i]) numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct TensorGradientTests {
    @Test(arguments: ["exp", "tanh", "sigmoid", "relu", "softplus", "abs", "sin", "cos", "tan", "-"])
    func unaryOnSeveralShapes(_ f: String) {
        for shape in [[3], [2, 3], [2, 1, 2]] { checkGradient("\(f)(x)", ["x": shape]) }
    }

    @Test(arguments: ["log", "sqrt"])
    func unaryOnPositiveInputs(_ f: String) {
        for shape in [[4], [3, 2]] { checkGradient("\(f)(x)", ["x": shape], positive: true) }
    }

    /// The gradient of a broadcast operand is summed back to its shape.
    @Test(arguments: [
        ("x + y", [2, 3], [3]), ("x - y", [2, 3], [2, 1]), ("x * y", [4, 1], [1, 3]), ("x * y", [2, 3], []),
        ("x / y", [3, 2], [2]), ("x ^ y", [2, 2], [2, 1]), ("maximum(x, y)", [2, 3], [3]), ("minimum(x, y)", [3], [2, 3]),
        ("x * y + x", [2, 2, 2], [2, 1]),
    ] as [(String, [Int], [Int])])
    func broadcastBinary(_ expr: String, _ xs: [Int], _ ys: [Int]) {
        checkGradient(expr, ["x": xs, "y": ys], positive: expr.contains("/") || expr.contains("^"))
    }

    @Test(arguments: [([2, 3], [3, 4]), ([3], [3, 2]), ([2, 3], [3]), ([3], [3]), ([1, 4], [4, 1])] as [([Int], [Int])])
    func matmul(_ xs: [Int], _ ys: [Int]) {
        checkGradient("x @ y", ["x": xs, "y": ys])
    }

    @Test(arguments: [
        "sum(x)", "sum(x, axis=0)", "sum(x, axis=1, keepdims=true)", "sum(x, axis=[0, 2])", "mean(x)", "mean(x, axis=-1)",
        "max(x)", "max(x, axis=1)", "min(x, axis=0, keepdims=true)", "norm(x)", "norm(x, axis=2)",
        "softmax(x)", "softmax(x, axis=0)", "log_softmax(x)", "log_softmax(x, axis=1)",
        "clip(x, -0.5, 0.5)", "leaky_relu(x, slope=0.1)", "where(x > 0, x, 2 * x)",
        "reshape(x, 3, -1)", "transpose(x)", "x.T", "flatten(x)", "x[0]", "x[-1, 1:3]", "x[:, 0]", "x[1:, ::2, 1]",
        "stack([x, x * 2], axis=1)", "concat([x, x], axis=2)", "[x[0, 0], x[1, 1] * 2]",
    ])
    func reductionsShapesAndIndexing(_ expr: String) {
        checkGradient(expr, ["x": [2, 3, 2]])
    }

    @Test(arguments: ["hstack([x, y])", "vstack([x, y])", "column_stack([x, y])", "concat([x, y])", "stack([x, y])"])
    func joins(_ expr: String) {
        checkGradient(expr, ["x": [3], "y": [3]])
        if !expr.hasPrefix("column") { checkGradient(expr, ["x": [2, 2], "y": [2, 2]]) }
    }

    @Test func listsOfNodesStackDifferentiably() {
        checkGradient("[a, b * 2] @ W", ["a": [], "b": [], "W": [2, 3]])
        checkGradient("sum([a, b] * [b, a])", ["a": [2], "b": [2]])
    }
}
