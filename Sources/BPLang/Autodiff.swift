import BPTensor
import Foundation

/// The autodiff builtins: backward, grad, zero_grad, detach/const, copy, numgrad, gradcheck.
enum Autodiff {
    static func node(_ a: BoundArgs, _ i: Int, _ what: String) throws -> Tensor {
        switch a[i] {
        case .tensor(let t): return t
        case .number, .bool:
            return Ops.tensor(a[i])!
        default:
            throw BPError.runtime("\(a.function)() expects \(what), found a \(describe(a[i]))")
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
        Function.builtin("backward", [BuiltinParam("f"), BuiltinParam("seed", Value.none),
                                      BuiltinParam("accumulate", .bool(false)), BuiltinParam("trace", .bool(false))]) { i, a in
            let f = try node(a, 0, "the result to differentiate")
            guard f.requiresGrad else {
                throw BPError.runtime("backward() needs a result computed from leaves, but this value is a constant outside every graph")
            }
            var seed: [Double]? = nil
            if case .none = a[1] {} else {
                let s = try Builtins.numericArg(a, 1)
                guard s.shape == f.shape || (s.count == 1 && f.count == 1) else {
                    throw BPError.runtime(TensorError.seedShape(expected: f.shape, found: s.shape).message)
                }
                seed = s.data
            }
            let trace = try a.bool(3)
            let fname = outputName(f, a)
            let (order, accumulated) = try Backward.run(f, seed: seed, accumulate: try a.bool(2), trace: trace ? { step in
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
            if i.interactive && i.listsGradients && i.callDepth == 0 {
                for t in order.reversed() where t.kind == .leaf {
                    let head = "d\(fname)/d\(t.labelText) = "
                    // rows of a matrix line up under its first bracket
                    let value = show(i, t.grad!, t.shape).replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: head.count))
                    i.write(head + value + "\n")
                }
            }
            return .none
        },
        Function.builtin("grad", [BuiltinParam("y"), BuiltinParam("x", Value.none), BuiltinParam("argnum", .number(0)),
                                  BuiltinParam("create_graph", .bool(false))]) { i, a in
            if try a.bool(3) {
                throw BPError.runtime("create_graph=true (gradients that can be differentiated again) is not available yet in this version of bp")
            }
            if case .function(let fn) = a[0] {
                let k = try Ops.whole(a[2], "grad()'s argnum", at: a.loc)
                return .function(gradientFunction(fn, argnum: k))
            }
            let y = try node(a, 0, "a result or a function")
            if case .none = a[1] { throw BPError.runtime("grad(y, x) needs the variable x (or call grad(fn) with a function)") }
            try differentiable(y, "grad(y, x)", argument: a.argumentLabels.first.map { ($0?.text ?? "") } ?? "y")
            return try gradient(y, of: a[1])
        },
        Function.builtin("zero_grad", [], variadic: true) { _, a in
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
        Function.builtin("detach", [BuiltinParam("x")]) { _, a in detach(a) },
        Function.builtin("const", [BuiltinParam("x")]) { _, a in detach(a) },
        Function.builtin("copy", [BuiltinParam("x")]) { _, a in
            switch a[0] {
            case .tensor(let t): return .tensor(Tensor(shape: t.shape, data: t.data))
            case .list(let l): return .list(ListRef(l.items))
            default: return a[0]
            }
        },
        Function.builtin("numgrad", [BuiltinParam("y"), BuiltinParam("x"), BuiltinParam("h", .number(1e-5))]) { _, a in
            let y = try node(a, 0, "a result"), x = try node(a, 1, "a variable")
            guard y.count == 1 else { throw BPError.runtime(TensorError.notScalar(shape: y.shape).message) }
            let g = try Replay.numericGradient(y, x, h: try a.number(2))
            return Ops.wrap(Tensor(shape: x.shape, data: g))
        },
        Function.builtin("gradcheck", [BuiltinParam("y")]) { i, a in
            let y = try node(a, 0, "a result")
            let (order, _) = try Backward.run(y)
            var ok = true
            var rows: [[String]] = [["leaf", "analytic", "numeric", "rel.error", "ok"]]
            for leaf in order.reversed() where leaf.kind == .leaf {
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
        guard let t = Ops.tensor(a[0]) else { return a[0] }
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
                + "outside every graph and cannot be differentiated again; second derivatives need grad(y, x, create_graph=true), "
                + "which this version of bp does not have yet")
        }
        throw BPError.runtime("\(what): '\(argument)' is a constant outside every graph (a detach()ed value, a literal, data): "
            + "it depends on no leaf, so it has no gradient to compute")
    }

    /// dy/dx for a tensor or a list of tensors, leaving every `.grad` as it was.
    static func gradient(_ y: Tensor, of x: Value) throws -> Value {
        let order = Backward.topologicalOrder(y)
        let saved = order.map { $0.grad }
        defer { for (t, g) in zip(order, saved) { t.grad = g } }
        try Backward.run(y)
        func one(_ v: Value) throws -> Value {
            guard let t = Ops.tensor(v) else { throw BPError.runtime("grad(y, x): x must be a tensor or a list of tensors, found a \(describe(v))") }
            let inGraph = order.contains { $0 === t }
            let g = inGraph ? (t.grad ?? []) : [Double](repeating: 0, count: t.count)
            return gradientValue(t.shape, g.count == t.count ? g : [Double](repeating: 0, count: t.count))
        }
        if case .list(let l) = x { return .list(ListRef(try l.items.map(one))) }
        return try one(x)
    }

    /// `grad(fn)`: a function returning d fn / d (argument k) at the given arguments.
    static func gradientFunction(_ fn: Function, argnum: Int) -> Function {
        let f = Function(name: "grad(\(fn.name))", body: .builtin(params: [], variadic: true, impl: { i, a in
            guard argnum >= 0 && argnum < a.rest.count else {
                throw BPError.runtime("grad(\(fn.name)) differentiates argument \(argnum), but \(a.rest.count) were given")
            }
            var args = a.rest
            guard let src = Ops.tensor(args[argnum]) else {
                throw BPError.runtime("grad(\(fn.name)) differentiates by a number or tensor, found a \(describe(args[argnum]))")
            }
            let leaf = Tensor(shape: src.shape, data: src.data, kind: .leaf)
            args[argnum] = .tensor(leaf)
            let saved = Engine.current.gradEnabled
            Engine.current.gradEnabled = true
            defer { Engine.current.gradEnabled = saved }
            let out = try i.call(fn, Arguments(args, loc: a.loc))
            guard let y = Ops.tensor(out), y.count == 1 else {
                throw BPError.runtime("grad(\(fn.name)) needs \(fn.name) to return one number, found a \(describe(out))")
            }
            if y.isGradient {
                throw BPError.runtime("grad(\(fn.name)) needs second derivatives: \(fn.name) returns a gradient, and this version of bp "
                    + "computes first derivatives only")
            }
            if y.requiresGrad { try Backward.run(y) }
            return gradientValue(leaf.shape, leaf.grad ?? [Double](repeating: 0, count: leaf.count))
        }), signature: "grad(\(fn.name))(...)")
        return f
    }
}
