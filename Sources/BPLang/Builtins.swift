import BPTensor
import Foundation

/// The table of builtin functions and constants, each with its help text.
enum Builtins {
    static func install(into interp: Interpreter) {
        for (name, value) in [("pi", Double.pi), ("e", M_E), ("inf", Double.infinity), ("nan", Double.nan)] {
            interp.define(name, .number(value))
        }
        for f in core + math + Autodiff.functions + TensorBuiltins.functions {
            interp.define(f.name, .function(f))
        }
        for name in interp.globalNames { interp.pristine[name] = interp.global(name) }
        interp.help = Help.entries
    }

    static func numericArg(_ a: BoundArgs, _ i: Int) throws -> Tensor {
        guard let t = try Ops.toTensor(a[i]) else {
            throw BPError.runtime("\(a.function)() expects a number or tensor for '\(a.names[i])', found a \(describe(a[i]))", at: a.loc)
        }
        return t
    }

    static let math: [Function] = UnaryOp.allCases.filter { $0 != .neg }.map { op in
        Function.builtin(op.rawValue, [BuiltinParam("x")]) { _, a in
            try Ops.unary(op, a[0], label: a.label, name: op.rawValue, at: a.loc)
        }
    } + [
        Function.builtin("maximum", [BuiltinParam("a"), BuiltinParam("b")]) { _, a in
            try Ops.wrap(Tensor.binary(.maximum, try numericArg(a, 0), try numericArg(a, 1), label: a.label))
        },
        Function.builtin("minimum", [BuiltinParam("a"), BuiltinParam("b")]) { _, a in
            try Ops.wrap(Tensor.binary(.minimum, try numericArg(a, 0), try numericArg(a, 1), label: a.label))
        },
    ]

    static let core: [Function] = [
        Function.builtin("print", [], variadic: true) { i, a in
            i.write(a.rest.map { i.formatter.string($0) }.joined(separator: " ") + "\n")
            return .none
        },
        Function.builtin("str", [BuiltinParam("x")]) { i, a in .string(i.formatter.string(a[0])) },
        Function.builtin("len", [BuiltinParam("x")]) { _, a in
            switch a[0] {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .range(let r): return .number(Double(r.count))
            case .tensor(let t) where t.rank > 0: return .number(Double(t.shape[0]))
            default: throw BPError.runtime("len() needs a list, string, range or tensor, found a \(describe(a[0]))")
            }
        },
        Function.builtin("append", [BuiltinParam("xs"), BuiltinParam("v")]) { _, a in
            guard case .list(let l) = a[0] else {
                throw BPError.runtime("append() adds to a list (start one with xs = []), found a \(describe(a[0])); to join tensors use concat")
            }
            l.items.append(a[1])
            return .none
        },
        Function.builtin("range", [BuiltinParam("a"), BuiltinParam("b", Value.none), BuiltinParam("step", .number(1))]) { _, a in
            func bound(_ v: Value, _ what: String) throws -> Int {
                let n = try Ops.whole(v, "range()'s \(what)", at: a.loc)
                guard Swift.abs(n) <= 1 << 53 else { throw BPError.runtime("range()'s \(what) must be at most 2^53 in magnitude") }
                return n
            }
            let step = try bound(a[2], "step")
            if step == 0 { throw BPError.runtime("range()'s step cannot be zero") }
            if case .none = a[1] { return .range(RangeValue(start: 0, stop: try bound(a[0], "end"), step: step)) }
            return .range(RangeValue(start: try bound(a[0], "start"), stop: try bound(a[1], "end"), step: step))
        },
        Function.builtin("close", [BuiltinParam("x"), BuiltinParam("y"), BuiltinParam("tol", .number(1e-6))]) { _, a in
            let x = try numericArg(a, 0), y = try numericArg(a, 1)
            let tol = try a.number(2)
            let shape = try Broadcast.result(x.shape, y.shape, op: "close")
            let ox = Broadcast.offsets(of: x.shape, in: shape), oy = Broadcast.offsets(of: y.shape, in: shape)
            return .bool((0..<ox.count).allSatisfy { Swift.abs(x.data[ox[$0]] - y.data[oy[$0]]) <= tol })
        },
        Function.builtin("float", [BuiltinParam("x")]) { _, a in
            if case .string(let s) = a[0] {
                let t = s.trimmingCharacters(in: .whitespaces).lowercased()
                if let d = Double(t) { return .number(d) }
                switch t {
                case "inf", "+inf", "infinity": return .number(.infinity)
                case "-inf", "-infinity": return .number(-.infinity)
                case "nan": return .number(.nan)
                default: throw BPError.runtime("float() cannot read '\(s)' as a number")
                }
            }
            guard let d = a[0].asDouble else { throw BPError.runtime("float() needs a string or a one-element value, found a \(describe(a[0]))") }
            return .number(d)
        },
        Function.builtin("round", [BuiltinParam("x"), BuiltinParam("n", .number(0))]) { _, a in
            let n = try Ops.whole(a[1], "round()'s digits", at: a.loc)
            let t = try numericArg(a, 0)
            let scale = Foundation.pow(10.0, Double(n))
            // NumPy rounds half to even. Past a double's digits (round(1.5, 400), where the
            // scale is inf) a number is already rounded, as in Python; far left it is 0.
            let out = Tensor(shape: t.shape, data: t.data.map { x in
                let y = x * scale
                if !x.isFinite || !y.isFinite { return x }
                if scale == 0 { return x.isFinite ? 0 * x : x }
                return y.rounded(.toNearestOrEven) / scale
            })
            return Ops.wrap(out)
        },
        Function.builtin("time", []) { _, _ in .number(Date().timeIntervalSince1970) },
        Function.builtin("shape", [BuiltinParam("x")]) { _, a in
            .list(ListRef(try numericArg(a, 0).shape.map { .number(Double($0)) }))
        },
        Function.builtin("size", [BuiltinParam("x")]) { _, a in .number(Double(try numericArg(a, 0).count)) },
        Function.builtin("isnan", [BuiltinParam("x")]) { _, a in
            if case .number(let d) = a[0] { return .bool(d.isNaN) }
            let t = try numericArg(a, 0)
            if t.rank == 0 { return .bool(t.data[0].isNaN) }
            return .tensor(Tensor(shape: t.shape, data: t.data.map { $0.isNaN ? 1 : 0 }))
        },
        Function.builtin("any", [BuiltinParam("x")]) { i, a in
            if case .list(let l) = a[0] { return .bool(try l.items.contains { try Ops.truth($0, at: a.loc ?? SourceLocation(line: 0, column: 0)) }) }
            return .bool(try numericArg(a, 0).data.contains { $0 != 0 })
        },
        Function.builtin("all", [BuiltinParam("x")]) { i, a in
            if case .list(let l) = a[0] { return .bool(try l.items.allSatisfy { try Ops.truth($0, at: a.loc ?? SourceLocation(line: 0, column: 0)) }) }
            return .bool(try numericArg(a, 0).data.allSatisfy { $0 != 0 })
        },
        Function.builtin("help", [BuiltinParam("name", Value.none)]) { i, a in
            let name: String
            switch a[0] {
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
