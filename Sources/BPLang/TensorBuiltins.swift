import BPTensor
import Foundation

/// Tensor builtins: reductions, activations built from differentiable pieces, shapes,
/// joins, creation and NumPy-compatible random numbers.
enum TensorBuiltins {
    typealias P = BuiltinParam

    static func arg(_ a: BoundArgs, _ i: Int) throws -> Tensor { try Builtins.numericArg(a, i) }

    /// An axis argument (negative counts from the end), checked against the rank.
    static func axis(_ v: Value, rank: Int, _ fn: String) throws -> Int {
        let k = try Ops.whole(v, "\(fn)()'s axis", at: nil)
        let r = k < 0 ? k + rank : k
        guard r >= 0 && r < rank else {
            throw BPError.runtime("axis \(k) is out of range for a tensor with \(rank) dimension\(rank == 1 ? "" : "s")")
        }
        return r
    }

    /// `axis=none` (all axes), a number, or a list of numbers.
    static func axes(_ v: Value, rank: Int, _ fn: String) throws -> [Int]? {
        switch v {
        case .none: return nil
        case .list(let l): return try distinct(l.items.map { try axis($0, rank: rank, fn) }, fn)
        case .tensor(let t) where t.rank == 1: return try distinct(t.data.map { try axis(.number($0), rank: rank, fn) }, fn)
        default: return [try axis(v, rank: rank, fn)]
        }
    }

    /// NumPy: "duplicate value in 'axis'".
    static func distinct(_ axes: [Int], _ fn: String) throws -> [Int] {
        for (k, a) in axes.enumerated() where axes[..<k].contains(a) {
            throw BPError.runtime("\(fn)(): axis \(a) is given twice in 'axis'")
        }
        return axes
    }

    /// Shape arguments: `zeros(2, 3)`, `zeros([2, 3])`, `zeros(n)` with n whole.
    static func shape(_ values: [Value], _ fn: String) throws -> [Int] {
        var items = values
        if values.count == 1 {
            if case .list(let l) = values[0] { items = l.items }
            if case .tensor(let t) = values[0], t.rank == 1 { items = t.data.map { .number($0) } }
        }
        let dims = try items.map { v -> Int in
            let n = try Ops.whole(v, "a size in \(fn)()", at: nil)
            guard n >= 0 else { throw BPError.runtime("\(fn)() needs sizes of at least 0, found \(n)") }
            return n
        }
        try checkSize(dims, fn)
        return dims
    }

    /// Checks a shape before anything is allocated (`Limits.count`), naming the builtin.
    static func checkSize(_ dims: [Int], _ fn: String) throws {
        do { try Limits.count(dims) } catch let e as TensorError { throw BPError.runtime("\(fn)(): " + e.message) }
    }

    static func filled(_ dims: [Int], _ f: () -> Double) -> Value {
        let n = dims.reduce(1, *)
        var d = [Double](repeating: 0, count: n)
        for i in 0..<n { d[i] = f() }
        return Ops.wrap(Tensor(shape: dims, data: d))
    }

    /// Sizes of the reduced axes multiplied (for mean).
    static func reducedCount(_ t: Tensor, _ axes: [Int]?) -> Double {
        Double((axes ?? Array(0..<t.rank)).reduce(1) { $0 * t.shape[$1] })
    }

    /// max/min over axes: the reduced value carries the gradient, split evenly over ties.
    static func extreme(_ x: Tensor, _ axes: [Int]?, keepdims: Bool, largest: Bool, label: Label?) throws -> Tensor {
        try Tensor.extreme(x, axes: axes, keepdims: keepdims, largest: largest, label: label)
    }

    static func softmaxParts(_ x: Tensor, _ ax: Int, label: Label?) throws -> (shifted: Tensor, sumExp: Tensor) {
        // subtracting the (constant) row maximum keeps exp from overflowing
        let m = try extreme(x, [ax], keepdims: true, largest: true, label: nil)
        let shift = Tensor(shape: m.shape, data: m.data)
        let z = try Tensor.binary(.sub, x, shift)
        return (z, Tensor.sum(try Tensor.unary(.exp, z), axes: [ax], keepdims: true))
    }

    static func reduction(_ name: String, _ body: @escaping (Tensor, [Int]?, Bool, Label?) throws -> Tensor) -> Function {
        Function.builtin(name, [P("x"), P("axis", Value.none), P("keepdims", .bool(false))]) { _, a in
            let x = try arg(a, 0)
            return Ops.wrap(try body(x, try axes(a[1], rank: x.rank, name), try a.bool(2), a.label))
        }
    }

    static func joinList(_ a: BoundArgs, _ fn: String) throws -> [Tensor] {
        let items: [Value]
        switch a[0] {
        case .list(let l): items = l.items
        case .tensor(let t) where t.rank > 0:
            items = (0..<t.shape[0]).map { k in
                (try? Indexing.get(a[0], [.index(.number(Double(k)))], label: nil, at: SourceLocation(line: 0, column: 0))) ?? .none
            }
        default: throw BPError.runtime("\(fn)() takes a list of tensors, found a \(describe(a[0]))")
        }
        if items.isEmpty { throw BPError.runtime(TensorError.emptyJoin.message) }
        return try items.map { v in
            guard let t = try Ops.toTensor(v) else { throw BPError.runtime("\(fn)() takes tensors, found a \(describe(v))") }
            return t
        }
    }

    static func atLeast2D(_ t: Tensor) -> Tensor { t.rank >= 2 ? t : Tensor.reshape(t, [1, t.count]) }

    static let functions: [Function] = [
        reduction("sum") { x, axes, keep, label in Tensor.sum(x, axes: axes, keepdims: keep, label: label) },
        reduction("mean") { x, axes, keep, label in
            let s = Tensor.sum(x, axes: axes, keepdims: keep)
            return try Tensor.binary(.div, s, constant: reducedCount(x, axes), label: label)
        },
        reduction("norm") { x, axes, keep, label in
            try Tensor.unary(.sqrt, Tensor.sum(try Tensor.binary(.mul, x, x), axes: axes, keepdims: keep), label: label)
        },
        Function.builtin("max", [P("x"), P("b", Value.none), P("axis", Value.none), P("keepdims", .bool(false))]) { _, a in
            let x = try arg(a, 0)
            if case .none = a[1] {
                return Ops.wrap(try extreme(x, try axes(a[2], rank: x.rank, "max"), keepdims: try a.bool(3), largest: true, label: a.label))
            }
            return Ops.wrap(try Tensor.binary(.maximum, x, try arg(a, 1), label: a.label))
        },
        Function.builtin("min", [P("x"), P("b", Value.none), P("axis", Value.none), P("keepdims", .bool(false))]) { _, a in
            let x = try arg(a, 0)
            if case .none = a[1] {
                return Ops.wrap(try extreme(x, try axes(a[2], rank: x.rank, "min"), keepdims: try a.bool(3), largest: false, label: a.label))
            }
            return Ops.wrap(try Tensor.binary(.minimum, x, try arg(a, 1), label: a.label))
        },
        Function.builtin("argmax", [P("x"), P("axis", Value.none)]) { _, a in
            let x = try arg(a, 0)
            if x.count == 0 { throw BPError.runtime("argmax() of an empty tensor") }
            guard case .none = a[1] else {
                let ax = try axis(a[1], rank: x.rank, "argmax")
                let n = x.shape[ax], st = strides(x.shape)[ax]
                var outShape = x.shape
                outShape.remove(at: ax)
                let outer = x.shape[..<ax].reduce(1, *), inner = st
                var out: [Double] = []
                for p in 0..<outer {
                    for r in 0..<inner {
                        var best = 0
                        for q in 1..<max(n, 1) where x.data[p * n * inner + q * inner + r] > x.data[p * n * inner + best * inner + r] { best = q }
                        out.append(Double(best))
                    }
                }
                return Ops.wrap(Tensor(shape: outShape, data: out))
            }
            var best = 0
            for i in 1..<x.count where x.data[i] > x.data[best] { best = i }
            return .number(Double(best))
        },
        Function.builtin("softmax", [P("x"), P("axis", .number(-1))]) { _, a in
            let x = try arg(a, 0)
            let (z, s) = try softmaxParts(x, try axis(a[1], rank: x.rank, "softmax"), label: a.label)
            return Ops.wrap(try Tensor.binary(.div, Tensor.unary(.exp, z), s, label: a.label))
        },
        Function.builtin("log_softmax", [P("x"), P("axis", .number(-1))]) { _, a in
            let x = try arg(a, 0)
            let (z, s) = try softmaxParts(x, try axis(a[1], rank: x.rank, "log_softmax"), label: a.label)
            return Ops.wrap(try Tensor.binary(.sub, z, Tensor.unary(.log, s), label: a.label))
        },
        Function.builtin("clip", [P("x"), P("lo"), P("hi")]) { _, a in
            let x = try arg(a, 0), lo = try a.number(1), hi = try a.number(2)
            // the gradient is 1 where lo <= x <= hi (as PyTorch's clamp), else 0
            return Ops.wrap(try Tensor.clip(x, lo, hi, label: a.label))
        },
        Function.builtin("where", [P("cond"), P("a"), P("b")]) { _, a in
            Ops.wrap(try Tensor.select(try arg(a, 0), try arg(a, 1), try arg(a, 2), label: a.label))
        },
        Function.builtin("leaky_relu", [P("x"), P("slope", .number(0.01))]) { _, a in
            let x = try arg(a, 0)
            return Ops.wrap(try Tensor.leakyRelu(x, slope: try a.number(1), label: a.label))
        },
        Function.builtin("reshape", [P("x")], variadic: true, rest: "shape...") { _, a in
            let x = try arg(a, 0)
            var items = a.rest
            if items.count == 1, case .list(let l) = items[0] { items = l.items }
            if items.count == 1, case .tensor(let t) = items[0], t.rank == 1 { items = t.data.map { .number($0) } }
            var dims = try items.map { try Ops.whole($0, "reshape()'s sizes", at: nil) }
            try checkSize(dims.map { Swift.max($0, 0) }, "reshape")
            let asked = dims
            let unknown = dims.indices.filter { dims[$0] == -1 }
            if unknown.count > 1 { throw BPError.runtime("reshape() takes at most one -1") }
            if let u = unknown.first {
                dims[u] = 1
                if let known = try? Limits.count(dims), known > 0, x.count % known == 0 { dims[u] = x.count / known }
            }
            guard let n = try? Limits.count(dims), n == x.count else {
                throw BPError.runtime("cannot reshape a tensor of size \(x.count) into shape \(describeShape(asked))")
            }
            return Ops.wrap(Tensor.reshape(x, dims, label: a.label))
        },
        Function.builtin("transpose", [P("x")]) { _, a in
            let x = try arg(a, 0)
            return Ops.wrap(Tensor.permute(x, Array((0..<x.rank).reversed()), label: a.label))
        },
        Function.builtin("flatten", [P("x")]) { _, a in
            let x = try arg(a, 0)
            return Ops.wrap(Tensor.reshape(x, [x.count], label: a.label))
        },
        Function.builtin("concat", [P("list"), P("axis", .number(0))]) { _, a in
            let xs = try joinList(a, "concat")
            if xs[0].rank == 0 { throw BPError.runtime("concat() joins tensors of at least one dimension; use stack() for numbers") }
            return Ops.wrap(try Tensor.join(xs, axis: try axis(a[1], rank: xs[0].rank, "concat"), newAxis: false, label: a.label))
        },
        Function.builtin("stack", [P("list"), P("axis", .number(0))]) { _, a in
            let xs = try joinList(a, "stack")
            return Ops.wrap(try Tensor.join(xs, axis: try axis(a[1], rank: xs[0].rank + 1, "stack"), newAxis: true, label: a.label))
        },
        Function.builtin("hstack", [P("list")]) { _, a in
            let xs = try joinList(a, "hstack").map { $0.rank == 0 ? Tensor.reshape($0, [1]) : $0 }
            return Ops.wrap(try Tensor.join(xs, axis: xs[0].rank == 1 ? 0 : 1, newAxis: false, label: a.label))
        },
        Function.builtin("vstack", [P("list")]) { _, a in
            let xs = try joinList(a, "vstack").map(atLeast2D)
            return Ops.wrap(try Tensor.join(xs, axis: 0, newAxis: false, label: a.label))
        },
        Function.builtin("column_stack", [P("list")]) { _, a in
            let xs = try joinList(a, "column_stack").map { $0.rank < 2 ? Tensor.reshape($0, [$0.count, 1]) : $0 }
            return Ops.wrap(try Tensor.join(xs, axis: 1, newAxis: false, label: a.label))
        },
        Function.builtin("zeros", [], variadic: true, rest: "shape...") { _, a in filled(try shape(a.rest, "zeros")) { 0 } },
        Function.builtin("ones", [], variadic: true, rest: "shape...") { _, a in filled(try shape(a.rest, "ones")) { 1 } },
        Function.builtin("full", [], variadic: true, rest: "shape..., value") { _, a in
            guard let value = a.rest.last?.asDouble else { throw BPError.runtime("full(shape..., value) needs a value last") }
            return filled(try shape(Array(a.rest.dropLast()), "full")) { value }
        },
        Function.builtin("eye", [P("n")]) { _, a in
            let n = try Ops.whole(a[0], "eye()'s size", at: nil)
            try checkSize([n, n], "eye")
            var d = [Double](repeating: 0, count: n * n)
            for i in 0..<n { d[i * n + i] = 1 }
            return Ops.wrap(Tensor(shape: [n, n], data: d))
        },
        Function.builtin("linspace", [P("a"), P("b"), P("n", .number(50))]) { _, a in
            let lo = try a.number(0), hi = try a.number(1)
            let n = try Ops.whole(a[2], "linspace()'s count", at: nil)
            guard n >= 0 else { throw BPError.runtime("linspace() needs a count of at least 0") }
            try checkSize([n], "linspace")
            // NumPy: start + i * step, and the last element exactly b
            let step = n > 1 ? (hi - lo) / Double(n - 1) : 0
            var d = (0..<n).map { lo + Double($0) * step }
            if n > 1 { d[n - 1] = hi }
            return Ops.wrap(Tensor(shape: [n], data: d))
        },
        Function.builtin("arange", [P("a"), P("b", Value.none), P("step", .number(1))]) { _, a in
            var start = 0.0, stop = try a.number(0)
            if case .none = a[1] {} else { start = stop; stop = try a.number(1) }
            let step = try a.number(2)
            guard step != 0, step.isFinite, start.isFinite, stop.isFinite else { throw BPError.runtime("arange() needs a finite, non-zero step") }
            let q = Foundation.ceil((stop - start) / step)
            guard q <= Double(Limits.maxElements) else {
                throw BPError.runtime("arange(): \(Formatter().number(q)) elements would be more than \(Limits.maxElements) (the limit; BP_MAX_ELEMENTS changes it)")
            }
            let count = q > 0 ? Int(q) : 0
            return Ops.wrap(Tensor(shape: [count], data: (0..<count).map { start + Double($0) * step }))
        },
        Function.builtin("seed", [P("n")]) { _, a in
            let n = try Ops.whole(a[0], "seed()", at: nil)
            guard n >= 0 && n < 1 << 32 else { throw BPError.runtime("seed() takes a whole number from 0 to 2^32 - 1, found \(n)") }
            Engine.current.random.seed(UInt32(n))
            return .none
        },
        Function.builtin("rand", [], variadic: true, rest: "shape...") { _, a in
            filled(try shape(a.rest, "rand")) { Engine.current.random.nextDouble() }
        },
        Function.builtin("randn", [], variadic: true, rest: "shape...") { _, a in
            filled(try shape(a.rest, "randn")) { Engine.current.random.nextGaussian() }
        },
        Function.builtin("uniform", [P("lo", .number(0)), P("hi", .number(1))], variadic: true, rest: "shape...") { _, a in
            let lo = try a.number(0), hi = try a.number(1)
            return filled(try shape(a.rest, "uniform")) { lo + (hi - lo) * Engine.current.random.nextDouble() }
        },
    ]
}
