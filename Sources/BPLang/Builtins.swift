import BPTensor
import Foundation

/// The core builtin functions and constants, each declared with its help.
enum Builtins {
    static func install(into interp: Interpreter) {
        for (name, value) in [("pi", Double.pi), ("e", M_E), ("inf", Double.infinity), ("nan", Double.nan)] {
            interp.define(name, .number(value))
        }
        for f in core + math + Autodiff.functions + TensorBuiltins.functions
            + NetworkBuiltins.functions + LossBuiltins.functions + TrainBuiltins.functions
            + DataBuiltins.functions + PlotBuiltins.functions + DiagnoseBuiltins.functions
            + ModelFileBuiltins.functions + GraphBuiltins.functions + ExplainBuiltins.functions {
            interp.define(f.name, .function(f))
        }
        for name in interp.globalNames { interp.pristine[name] = interp.global(name) }
    }

    /// An element-wise function of the engine (`exp`, `sigmoid`, ...).
    static func unary(_ op: UnaryFunction, help: String, example: String) -> Function {
        Function.builtin(op.rawValue, [.tensor("x")], unary: op, help: help, example: example) { _, a in
            try Values.unary(op, a["x"], label: a.label, name: op.rawValue, at: a.loc)
        }
    }

    static let math: [Function] = [
        unary(.exp,
            help: "e to the power x, element-wise. Derivative: exp(x).",
            example: "x = 1; y = exp(x); backward(y); x.grad   # 2.71828"),
        unary(.log,
            help: "Natural logarithm, element-wise. Derivative: 1 / x.",
            example: "x = 2; backward(log(x)); x.grad   # 0.5"),
        unary(.sqrt,
            help: "Square root, element-wise. Derivative: 1 / (2 sqrt(x)).",
            example: "x = 4; backward(sqrt(x)); x.grad   # 0.25"),
        unary(.abs,
            help: "Absolute value, element-wise. Derivative: sign(x), taken as 0 at 0.",
            example: "x = -3; backward(abs(x)); x.grad   # -1"),
        unary(.sin,
            help: "Sine (radians), element-wise. Derivative: cos(x).",
            example: "x = 0; backward(sin(x)); x.grad   # 1"),
        unary(.cos,
            help: "Cosine (radians), element-wise. Derivative: -sin(x).",
            example: "x = pi / 2; backward(cos(x)); x.grad   # -1"),
        unary(.tan,
            help: "Tangent (radians), element-wise. Derivative: 1 + tan(x)^2.",
            example: "x = 0; backward(tan(x)); x.grad   # 1"),
        unary(.tanh,
            help: "Hyperbolic tangent, element-wise. Derivative: 1 - tanh(x)^2.",
            example: "x = 0; backward(tanh(x)); x.grad   # 1"),
        unary(.sigmoid,
            help: "The logistic function 1 / (1 + exp(-x)), element-wise, computed stably for large |x|. Derivative: s (1 - s) with s = sigmoid(x).",
            example: "z = 0; a = sigmoid(z); backward(a); z.grad   # 0.25"),
        unary(.relu,
            help: "max(x, 0), element-wise. Derivative: 1 where x > 0, else 0 (also at 0, as PyTorch).",
            example: "x = -2; relu(x)   # 0"),
        unary(.softplus,
            help: "log(1 + exp(x)), element-wise, computed stably. Derivative: sigmoid(x).",
            example: "softplus(0)   # 0.693147"),
        unary(.floor,
            help: "The largest whole number <= x, element-wise (bp's numbers are floats: floor(7 / 2) is NumPy's 7 // 2). Not differentiable: its gradient is 0.",
            example: "floor(7 / 2)   # 3"),
        unary(.ceil,
            help: "The smallest whole number >= x, element-wise. Not differentiable: its gradient is 0.",
            example: "ceil(3.2)   # 4"),
        Function.builtin("maximum", [.tensor("a"), .tensor("b")],
            help: "The element-wise larger of a and b, with broadcasting. The gradient goes to the larger operand; a tie splits it equally (as PyTorch).",
            example: "maximum(2, 3)   # 3") { _, a in
            try Values.wrap(Tensor.binary(.maximum, try a.tensor("a"), try a.tensor("b"), label: a.label))
        },
        Function.builtin("minimum", [.tensor("a"), .tensor("b")],
            help: "The element-wise smaller of a and b, with broadcasting. The gradient goes to the smaller operand; a tie splits it equally.",
            example: "minimum(2, 3)   # 2") { _, a in
            try Values.wrap(Tensor.binary(.minimum, try a.tensor("a"), try a.tensor("b"), label: a.label))
        },
    ]

    static let core: [Function] = [
        Function.builtin("print", [], rest: .values,
            help: "Prints its arguments separated by a space, then a new line. Numbers print as integers when whole, tensors as NumPy prints arrays, lists as Python prints them.",
            example: "print(\"loss\", 0.25, [1, 2])   # loss 0.25 [1, 2]") { i, a in
            i.write(a.rest.map { i.formatter.string($0) }.joined(separator: " ") + "\n")
            return .none
        },
        Function.builtin("str", [.any("x")],
            help: "The text that print would show for x.",
            example: "print(str(3) + \" apples\")   # 3 apples") { i, a in .string(i.formatter.string(a["x"])) },
        Function.builtin("len", [.any("x")],
            help: "The number of elements of a list, characters of a string, numbers of a range, or rows (first axis) of a tensor.",
            example: "len([1, 2, 3])   # 3") { _, a in
            switch a["x"] {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .range(let r): return .number(Double(r.count))
            case .tensor(let t) where t.rank > 0: return .number(Double(t.shape[0]))
            default: throw BPError.runtime("len() needs a list, string, range or tensor, found a \(describe(a["x"]))")
            }
        },
        Function.builtin("append", [.any("xs"), .any("v")],
            help: "Adds v at the end of the list xs, in place, as Python's xs.append(v). Start with an empty list xs = [] to collect values in a loop.",
            example: "losses = []; append(losses, 0.5); append(losses, 0.25); losses   # [0.5, 0.25]") { _, a in
            guard case .list(let l) = a["xs"] else {
                throw BPError.runtime("append() adds to a list (start one with xs = []), found a \(describe(a["xs"])); to join tensors use concat")
            }
            l.items.append(a["v"])
            return .none
        },
        Function.builtin("range", [.integer("a"), BuiltinParam.integer("b").orNone, .integer("step", 1)],
            help: "A lazy sequence of whole numbers: range(n) is 0..n-1, range(a, b) is a..b-1, range(a, b, step) counts by step (which may be negative).",
            example: "for i in range(3) { print(i) }") { _, a in
            let step = try a.integer("step")
            if step == 0 { throw BPError.runtime("range()'s step cannot be zero") }
            if a.isNone("b") { return .range(RangeValue(start: 0, stop: try a.integer("a", as: "end"), step: step)) }
            return .range(RangeValue(start: try a.integer("a", as: "start"), stop: try a.integer("b", as: "end"), step: step))
        },
        Function.builtin("close", [.tensor("x"), .tensor("y"), .number("tol", 1e-6)],
            help: "True when every |x - y| <= tol (absolute tolerance); shapes broadcast. Use it in asserts instead of == for computed numbers.",
            example: "assert close(0.1 + 0.2, 0.3), \"sum\"") { _, a in
            let x = try a.tensor("x"), y = try a.tensor("y")
            let tol = try a.number("tol")
            return .bool(try Broadcast.zip(x, y, op: "close") { Swift.abs($0 - $1) <= tol ? 1 : 0 }.data.allSatisfy { $0 == 1 })
        },
        Function.builtin("float", [.any("x")],
            help: "A number from a string (\"2.5\", \"inf\", \"nan\") or from a one-element value.",
            example: "float(\"2.5\") * 2   # 5") { _, a in
            if case .string(let s) = a["x"] {
                let t = s.trimmingCharacters(in: .whitespaces).lowercased()
                if let d = Double(t) { return .number(d) }
                switch t {
                case "inf", "+inf", "infinity": return .number(.infinity)
                case "-inf", "-infinity": return .number(-.infinity)
                case "nan": return .number(.nan)
                default: throw BPError.runtime("float() cannot read '\(s)' as a number")
                }
            }
            guard let d = a["x"].asDouble else { throw BPError.runtime("float() needs a string or a one-element value, found a \(describe(a["x"]))") }
            return .number(d)
        },
        Function.builtin("round", [.tensor("x"), .integer("n", 0)],
            help: "Rounds to n decimals (default 0), halves to even as NumPy does; works element-wise on tensors.",
            example: "round(2.5)   # 2, as np.round") { _, a in
            let n = try a.integer("n")
            let t = try a.tensor("x")
            let scale = Foundation.pow(10.0, Double(n))
            // NumPy rounds half to even. Past a double's digits (round(1.5, 400), where the
            // scale is inf) a number is already rounded, as in Python; far left it is 0.
            let out = Tensor(shape: t.shape, data: t.data.map { x in
                let y = x * scale
                if !x.isFinite || !y.isFinite { return x }
                if scale == 0 { return x.isFinite ? 0 * x : x }
                return y.rounded(.toNearestOrEven) / scale
            })
            return Values.wrap(out)
        },
        Function.builtin("time", [],
            help: "Seconds since 1970 as a number; subtract two readings to time a piece of code.",
            example: "t0 = time(); s = sum(arange(100000)); print(time() - t0)") { _, _ in .number(Date().timeIntervalSince1970) },
        Function.builtin("shape", [.tensor("x")],
            help: "The shape of a tensor as a list of numbers; a number has shape [].",
            example: "shape(2)   # []") { _, a in
            .list(ListRef(try a.tensor("x").shape.map { .number(Double($0)) }))
        },
        Function.builtin("size", [.tensor("x")],
            help: "The number of elements of a tensor (1 for a number).",
            example: "size(3.5)   # 1") { _, a in .number(Double(try a.tensor("x").count)) },
        Function.builtin("isnan", [.tensor("x")],
            help: "Whether x is nan: a bool for a number, a 0/1 tensor of x's shape for a tensor.",
            example: "isnan(0 / 0)   # true") { _, a in
            if case .number(let d) = a["x"] { return .bool(d.isNaN) }
            let t = try a.tensor("x")
            if t.rank == 0 { return .bool(t.data[0].isNaN) }
            return .tensor(Tensor(shape: t.shape, data: t.data.map { $0.isNaN ? 1 : 0 }))
        },
        Function.builtin("any", [.tensor("x")],
            help: "True when some element of x (a tensor, a list or a bool) is non-zero / true.",
            example: "any([false, true])   # true") { i, a in
            if case .list(let l) = a["x"] { return .bool(try l.items.contains { try Values.truth($0, at: a.loc ?? SourceLocation(line: 0, column: 0)) }) }
            return .bool(try a.tensor("x").data.contains { $0 != 0 })
        },
        Function.builtin("all", [.tensor("x")],
            help: "True when every element of x (a tensor, a list or a bool) is non-zero / true.",
            example: "all([true, true])   # true") { i, a in
            if case .list(let l) = a["x"] { return .bool(try l.items.allSatisfy { try Values.truth($0, at: a.loc ?? SourceLocation(line: 0, column: 0)) }) }
            return .bool(try a.tensor("x").data.allSatisfy { $0 != 0 })
        },
        Function.builtin("help", [BuiltinParam.any("name").orNone],
            help: "Shows a builtin's signature, what it does and an example. In the shell, ?name and :help name do the same.",
            example: "help(sigmoid)") { i, a in
            let name: String
            switch a["name"] {
            case .function(let f): name = f.name
            case .string(let s): name = s
            case .none: name = ""
            default:
                // help(pi): the value is a number, but the argument names a constant or a variable
                let text = a.argumentLabels.first.map { ($0?.text ?? "") } ?? ""
                guard !text.isEmpty, text.unicodeScalars.allSatisfy(Lexer.isNameChar) else {
                    throw BPError.runtime("help() takes a function or a name, as in help(sigmoid)")
                }
                name = text
            }
            i.write(i.helpText(name) + "\n")
            return .none
        },
    ]
}
