import BPTensor
import Foundation

/// The autodiff builtins: backward, grad, zero_grad, detach/const, copy, numgrad, gradcheck.
enum Autodiff {
    static func node(_ a: BoundArgs, _ name: String, _ what: String) throws -> Tensor {
        switch a[name] {
        case .tensor(let t): return t
        case .number, .bool:
            return Values.tensor(a[name])!
        default:
            throw BPError.runtime("\(a.function)() expects \(what), found a \(describe(a[name]))")
        }
    }

    /// "f" for a named output, "(a * b)" for an expression.
    static func outputName(_ t: Tensor, _ a: BoundArgs) -> String {
        if let n = t.name { return n }
        let text = a.argumentLabels.first.map { ($0?.text ?? "") } ?? t.labelText
        let simple = text.unicodeScalars.allSatisfy { Lexer.isNameChar($0) }
        return simple ? text : "(\(text))"
    }

    static func show(_ i: Interpreter, _ data: [Double], _ shape: [Int]) -> String {
        i.formatter.tensor(Tensor(shape: shape, data: data))
    }

    static let functions: [Function] = [
        Function.builtin("backward", [.any("f"), BuiltinParam.tensor("seed").orNone, .bool("accumulate", false), .bool("trace", false),
                                      .bool("create_graph", false)],
                         help: "Sets every gradient in f's graph to zero, then propagates df/df = 1 (or the seed, of f's shape) back through the graph, summing over all paths. After it, x.grad is df/dx for every leaf and intermediate node. accumulate=true adds to the gradients instead and says which it added to; trace=true prints each accumulation in order; create_graph=true computes the gradients as graph nodes, so x.grad can be differentiated again. In the shell it prints the gradient of every leaf.",
                         example: "a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f)   # df/db = 8") { i, a in
            let f = try node(a, "f", "the result to differentiate")
            guard f.requiresGrad else {
                throw BPError.runtime("backward() needs a result computed from leaves, but this value is a constant outside every graph")
            }
            var seed: [Double]? = nil
            if !a.isNone("seed") {
                let s = try a.tensor("seed")
                guard s.shape == f.shape || (s.count == 1 && f.count == 1) else {
                    throw BPError.runtime(TensorError.seedShape(expected: f.shape, found: s.shape).message)
                }
                seed = s.data
            }
            let trace = try a.bool("trace")
            let fname = outputName(f, a)
            if try a.bool("create_graph") {
                if try a.bool("accumulate") || trace {
                    throw BPError.runtime("backward(): create_graph=true cannot be combined with accumulate or trace")
                }
                let order = try Backward.runCreatingGraph(f, seed: seed.map { Tensor(shape: f.shape, data: $0) })
                listGradients(i, order, fname)
                return .none
            }
            let (leaves, accumulated) = try Backward.run(f, seed: seed, accumulate: try a.bool("accumulate"), trace: trace ? { step in
                let target = step.target
                let before = step.before.isEmpty ? "0" : show(i, step.before, target.shape)
                let after = show(i, target.grad ?? [], target.shape)
                let detail: String
                if step.local.count == 1 && step.upstream.count == 1 {
                    detail = "+= \(i.formatter.number(step.upstream[0])) * \(i.formatter.number(step.local[0]))"
                } else {
                    detail = "+= \(describeShape(target.shape)) contribution"
                }
                i.write("\(target.operandLabel).grad \(before) -> \(after) (\(detail) via \(step.via.operandLabel))\n")
            } : nil)
            for acc in accumulated.reversed() where acc.tensor.kind == .leaf {  // leaves in reading order
                let t = acc.tensor
                i.write("\(t.operandLabel).grad accumulated: \(show(i, acc.before, t.shape)) -> \(show(i, t.grad!, t.shape))\n")
            }
            listGradients(i, leaves, fname)
            return .none
        },
        Function.builtin("grad", [.any("y"), BuiltinParam.any("x").orNone, .integer("argnum", 0), .bool("create_graph", false)],
                         help: "grad(y, x) is dy/dx (a tensor of x's shape, or a list for a list of x) without changing any .grad; with create_graph=true the result is a graph node that can be differentiated again (second derivatives). grad(fn) returns a new function computing the derivative of the scalar function fn with respect to its argument argnum (default 0); it nests: grad(grad(fn)) is the second derivative.",
                         example: "def sq(x) = x ^ 3; d2 = grad(grad(sq)); d2(2)   # 12") { i, a in
            if case .function(let fn) = a["y"] {
                let k = try a.integer("argnum")
                return .function(gradientFunction(fn, argnum: k))
            }
            let y = try node(a, "y", "a result or a function")
            if a.isNone("x") { throw BPError.runtime("grad(y, x) needs the variable x (or call grad(fn) with a function)") }
            try differentiable(y, "grad(y, x)", argument: a.argumentLabels.first.map { ($0?.text ?? "") } ?? "y")
            return try gradient(y, of: a["x"], createGraph: try a.bool("create_graph"))
        },
        Function.builtin("zero_grad", [], rest: .values,
            help: "Sets the gradients of the given tensors (or lists of tensors) to zero.",
            example: "w1 = 1; b1 = 2; backward(w1 * b1); zero_grad(w1, b1); w1.grad   # 0") { _, a in
            func zero(_ v: Value) {
                switch v {
                case .tensor(let t): t.grad = [Double](repeating: 0, count: t.count)
                case .list(let l): l.items.forEach(zero)
                default: break
                }
            }
            a.rest.forEach(zero)
            return .none
        },
        Function.builtin("detach", [.any("x")],
            help: "The same values outside every graph: a constant that never becomes a leaf and through which no gradient flows. Same as const.",
            example: "a = 3; y = detach(a * 2)   # y is a constant, not a node") { _, a in detach(a) },
        Function.builtin("const", [.any("x")],
            help: "The same values outside every graph (a constant). Same as detach.",
            example: "target = const(0.8)") { _, a in detach(a) },
        Function.builtin("copy", [.any("x")],
            help: "An independent copy of x's values; bound at the top level it becomes a new leaf, unlike a plain binding, which shares.",
            example: "w = 2; w_old = copy(w); w -= 1; w_old   # 2") { _, a in
            switch a["x"] {
            case .tensor(let t): return .tensor(Tensor(shape: t.shape, data: t.data))
            case .list(let l): return .list(ListRef(l.items))
            default: return a["x"]
            }
        },
        Function.builtin("numgrad", [.any("y"), .any("x"), .number("h", 1e-5)],
            help: "dy/dx by central differences, (y(x + h) - y(x - h)) / 2h per element, re-evaluating y's recorded graph with x held at the perturbed value; x may be any node of the graph. Zeros when x is not in y's graph.",
            example: "x = 3; y = x ^ 2; numgrad(y, x)   # 6") { _, a in
            let y = try node(a, "y", "a result"), x = try node(a, "x", "a variable")
            guard y.count == 1 else { throw BPError.runtime(TensorError.notScalar(shape: y.shape).message) }
            let g = try Replay.numericGradient(y, x, h: try a.number("h"))
            return Values.wrap(Tensor(shape: x.shape, data: g))
        },
        Function.builtin("gradcheck", [.any("y")],
            help: "Runs backward on y and compares each leaf's gradient with numgrad, printing a table (leaf, analytic, numeric, relative error, ok). Returns true when every element agrees within 1e-5 + 1e-3 |numeric|.",
            example: "x = 2; y = -3; f = sigmoid(x * y); gradcheck(f)") { i, a in
            let y = try node(a, "y", "a result")
            let (leaves, _) = try Backward.run(y)
            var ok = true
            var rows: [[String]] = [["leaf", "analytic", "numeric", "rel.error", "ok"]]
            for leaf in leaves.reversed() {
                let analytic = leaf.grad!
                let numeric = try Replay.numericGradient(y, leaf)
                var worst = 0.0, pass = true
                for k in 0..<analytic.count {
                    let d = Swift.abs(analytic[k] - numeric[k])
                    worst = Swift.max(worst, d / Swift.max(Swift.abs(analytic[k]), Swift.abs(numeric[k]), 1e-12))
                    if d > 1e-5 + 1e-3 * Swift.abs(numeric[k]) { pass = false }
                }
                ok = ok && pass
                let shape = leaf.shape
                rows.append([leaf.labelText, Table.cell(i.formatter, shape: shape, data: analytic), Table.cell(i.formatter, shape: shape, data: numeric),
                             Formatter.cFormat("%.1e", worst), pass ? "ok" : "WRONG"])
            }
            i.write(Table.render(rows))
            return .bool(ok)
        },
    ]

    static func detach(_ a: BoundArgs) -> Value {
        guard let t = Values.tensor(a["x"]) else { return a["x"] }
        let c = Tensor(shape: t.shape, data: t.data)
        c.isMarkedConstant = true
        return .tensor(c)
    }

    /// A gradient result, handed out as a constant that remembers it is a gradient.
    static func gradientValue(_ shape: [Int], _ data: [Double]) -> Value {
        let t = Tensor(shape: shape, data: data)
        t.isMarkedConstant = true
        t.markGradient(of: nil)
        return .tensor(t)
    }

    /// Stops with an error when `y` is a constant outside every graph: differentiating it
    /// would silently give zeros.
    static func differentiable(_ y: Tensor, _ what: String, argument: String) throws {
        guard !y.requiresGrad else { return }
        if y.isGradient {
            throw BPError.runtime("\(what): '\(argument)' is a gradient computed without create_graph=true, so it is a constant "
                + "outside every graph and cannot be differentiated again; for second derivatives compute it with "
                + "grad(y, x, create_graph=true) (or backward(f, create_graph=true))")
        }
        throw BPError.runtime("\(what): '\(argument)' is a constant outside every graph (a detach()ed value, a literal, data): "
            + "it depends on no leaf, so it has no gradient to compute")
    }

    /// In the shell, after `backward(f)` at the prompt: each leaf's gradient, one per line.
    static func listGradients(_ i: Interpreter, _ nodes: [Tensor], _ fname: String) {
        guard i.interactive && i.listsGradients && i.callDepth == 0 else { return }
        for t in nodes.reversed() where t.kind == .leaf {
            let head = "d\(fname)/d\(t.labelText) = "
            // rows of a matrix line up under its first bracket
            let value = show(i, t.grad!, t.shape).replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: head.count))
            i.write(head + value + "\n")
        }
    }

    /// dy/dx for a tensor or a list of tensors, leaving every `.grad` as it was: constants
    /// that remember they are gradients, or with `createGraph` graph nodes.
    static func gradient(_ y: Tensor, of x: Value, createGraph: Bool) throws -> Value {
        func tensor(_ v: Value) throws -> Tensor {
            guard let t = Values.tensor(v) else { throw BPError.runtime("grad(y, x): x must be a tensor or a list of tensors, found a \(describe(v))") }
            return t
        }
        let list: [Value]? = { if case .list(let l) = x { return l.items } else { return nil } }()
        let xs = try (list ?? [x]).map(tensor)
        let gs = try Backward.gradients(y, xs, createGraph: createGraph).map { g -> Value in
            createGraph ? Values.wrapNode(g) : gradientValue(g.shape, g.data)
        }
        return list == nil ? gs[0] : .list(ListRef(gs))
    }

    /// `grad(fn)`: a function returning d fn / d (argument k) at the given arguments.
    static func gradientFunction(_ fn: Function, argnum: Int) -> Function {
        let f = Function(Builtin("grad(\(fn.name))", [], rest: .values, help: nil) { i, a in
            guard argnum >= 0 && argnum < a.rest.count else {
                throw BPError.runtime("grad(\(fn.name)) differentiates argument \(argnum), but \(a.rest.count) were given")
            }
            var args = a.rest
            guard let src = Values.tensor(args[argnum]) else {
                throw BPError.runtime("grad(\(fn.name)) differentiates by a number or tensor, found a \(describe(args[argnum]))")
            }
            // an argument already in a graph (grad(grad(f)): the outer grad's leaf) is
            // differentiated by as it is, with recorded operations, so the result can be
            // differentiated again; any other becomes a fresh leaf
            let nested = src.requiresGrad
            let x = nested ? src : Tensor(shape: src.shape, data: src.data, kind: .leaf)
            args[argnum] = .tensor(x)
            return try i.engine.withGrad(true) {
                let out = try i.call(fn, Arguments(args, loc: a.loc))
                guard let y = Values.tensor(out), y.count == 1 else {
                    throw BPError.runtime("grad(\(fn.name)) needs \(fn.name) to return one number, found a \(describe(out))")
                }
                if y.isGradient && !y.requiresGrad {
                    throw BPError.runtime("grad(\(fn.name)): \(fn.name) returns a gradient computed without create_graph=true, "
                        + "a constant that cannot be differentiated again; compute it with grad(y, x, create_graph=true) or nest grad(fn)")
                }
                guard y.requiresGrad else { return gradientValue(x.shape, [Double](repeating: 0, count: x.count)) }
                let g = try Backward.gradients(y, [x], createGraph: nested)[0]
                return nested ? Values.wrapNode(g) : gradientValue(g.shape, g.data)
            }
        })
        return f
    }
}
