import BPTensor

/// The chain-rule explorers: explain(f), explain(f, x), nudge(f, x, h), check(f, a=...) and compare(a, b).
enum ExplainBuiltins {
    static let functions: [Function] = [
        Function.builtin("explain", [.any("f"), BuiltinParam.any("x").orNone],
                         help: "explain(f) prints the forward pass step by step with the numbers substituted (t1 = a + b = 1 + 2 = 3), then the backward pass: for every node the chain-rule product along each edge, the local derivative with its rule, and for a node reached along several paths the sum of the paths; for tensors the shapes and the matrix form of each gradient (dW = x.T @ dz). explain(f, x) lists every path from x to f as a product of local derivatives, each path's contribution and their total (more than 20 paths: the count and the 20 largest). Gradients are left as they were.",
                         example: "a = 1; b = 2; c = 3; f = (a + b) * (b + c); explain(f, b)   # two paths: 5 + 3 = 8") { i, a in
            let f = try Autodiff.node(a, "f", "the result to explain")
            guard f.requiresGrad else {
                throw BPError.runtime("explain() needs a result computed from leaves, but this value is a constant outside every graph")
            }
            let e = try Explain(f, name: Autodiff.outputName(f, a), formatter: i.formatter)
            if a.isNone("x") {
                i.write(e.text())
            } else {
                let x = try Autodiff.node(a, "x", "a variable of f's graph")
                i.write(try PathSum(e, x).text(e, x))
            }
            return .none
        },
        Function.builtin("nudge", [.any("f"), .any("x"), .number("h", 0.001)],
                         help: "Moves x by h (every element) and compares the change of f the gradient predicts (df/dx * h) with the actual change, measured by replaying f's graph with x + h, printing both with enough digits to see where they part, and their ratio (near 1 for a small h). Nothing is changed.",
                         example: "x = 3; f = x ^ 2; nudge(f, x, h=0.01)   # predicted 0.06, actual 0.0601") { i, a in
            let f = try Autodiff.node(a, "f", "a result")
            let x = try Autodiff.node(a, "x", "a variable of f's graph")
            let h = try a.number("h")
            let n = try Nudge(f, x, h: h)
            let labels = a.argumentLabels
            let xname = x.name ?? (labels.count > 1 ? labels[1]?.text : nil) ?? x.labelText
            i.write(n.text(f: Autodiff.outputName(f, a), x: Labels.operand(xname), h: h, formatter: i.formatter))
            return .none
        },
        Function.builtin("check", [.any("f")], keywords: "name=gradient...",
                         help: "The homework checker: compares your hand-computed gradients, given as keyword arguments named after the variables of f's graph (leaves or named nodes; t1, t2, ... as explain(f) numbers the rest), with backward's, and marks each right or wrong (tolerance as gradcheck: 1e-5 + 1e-3 relative). Tensor answers are compared by shape first. For a wrong one it names the first wrong step walking back from f, the rule that applies there, and the likely cause: one path of several taken, an activation's derivative left out, a missing / N or other constant factor, a transposed matrix, a lost sign. Returns true when every answer is right. Gradients are left as they were.",
                         example: "a = 1; b = 2; c = 3; f = (a + b) * (b + c); check(f, b=5)   # one path of two") { i, a in
            let f = try Autodiff.node(a, "f", "the result to check")
            guard f.requiresGrad else {
                throw BPError.runtime("check() needs a result computed from leaves, but this value is a constant outside every graph")
            }
            let c = try Check(try Explain(f, name: Autodiff.outputName(f, a), formatter: i.formatter), a.keywords, function: "check")
            i.write(try c.text())
            return .bool(c.answers.indices.allSatisfy(c.isRight))
        },
        Function.builtin("compare", [.tensor("a"), .tensor("b")],
                         help: "Shows two tensors side by side (a hand formula such as a1.T @ dz2 / 4 against W2.grad), the largest difference, and when they differ the likely cause: one transposed, off by a constant factor (a missing / N shows as factor 1/N or N), a flipped sign, the same numbers in another shape, shapes that would broadcast. Returns true when they are the same within 1e-5 + 1e-3 relative.",
                         example: "g = [[1, 2], [3, 4]]; compare(g / 4, g)   # factor 1/4") { i, a in
            let labels = a.argumentLabels
            func name(_ k: Int, _ fallback: String) -> String {
                let t = (k < labels.count ? labels[k]?.text : nil) ?? fallback
                return t.isEmpty ? fallback : t
            }
            let c = Comparison(a: try a.tensor("a"), b: try a.tensor("b"), nameA: name(0, "a"), nameB: name(1, "b"))
            i.write(c.text(i.formatter))
            return .bool(c.same)
        },
    ]
}
