import BPTensor
import Foundation

/// Tensor builtins: reductions, activations built from differentiable pieces, shapes,
/// joins, creation and NumPy-compatible random numbers.
enum TensorBuiltins {
    /// A tensor of shape `dims` whose elements `f` gives in row-major order.
    @inline(__always)
    static func filled(_ dims: [Int], _ f: () -> Double) throws -> Value {
        Values.wrap(Tensor(shape: dims, data: try generated(dims.reduce(1, *)) { _ in f() }))
    }

    /// `f(0), f(1), ..., f(n - 1)`, looking at Ctrl-C between blocks of elements
    /// (randn(6000, 6000) takes seconds, arange of 2^28 numbers a quarter of one).
    @inline(__always)
    static func generated(_ n: Int, _ f: (Int) -> Double) throws -> [Double] {
        var d = [Double](repeating: 0, count: n)
        var i = 0
        while i < n {
            try Engine.poll()
            let end = Swift.min(n, i + 1 << 16)
            while i < end { d[i] = f(i); i += 1 }
        }
        return d
    }

    /// Sizes of the reduced axes multiplied (for mean).
    static func reducedCount(_ t: Tensor, _ axes: [Int]?) -> Double {
        Double((axes ?? Array(0..<t.rank)).reduce(1) { $0 * t.shape[$1] })
    }

    static func softmaxParts(_ x: Tensor, _ ax: Int, label: Label?) throws -> (shifted: Tensor, sumExp: Tensor) {
        // subtracting the (constant) row maximum keeps exp from overflowing
        // (computed unrecorded: a constant from the start, no node to record and copy)
        let shift = try Engine.current.withGrad(false) { try Tensor.extreme(x, axes: [ax], keepdims: true, largest: true) }
        let z = try Tensor.binary(.sub, x, shift)
        return (z, Tensor.sum(try Tensor.unary(.exp, z), axes: [ax], keepdims: true))
    }

    static func reduction(_ name: String, help: String, example: String, _ body: @escaping (Tensor, [Int]?, Bool, Label?) throws -> Tensor) -> Function {
        Function.builtin(name, [.tensor("x"), .axes("axis"), .bool("keepdims", false)], help: help, example: example) { _, a in
            let x = try a.tensor("x")
            return Values.wrap(try body(x, try a.axes("axis", rank: x.rank), try a.bool("keepdims"), a.label))
        }
    }

    /// max and min: over every axis or over axis, or element-wise of two tensors.
    static func extremum(_ name: String, largest: Bool, help: String, example: String) -> Function {
        Function.builtin(name, [.tensor("x"), BuiltinParam.tensor("b").orNone, .axes("axis"), .bool("keepdims", false)],
                         help: help, example: example) { _, a in
            let x = try a.tensor("x")
            if a.isNone("b") {
                return Values.wrap(try Tensor.extreme(x, axes: try a.axes("axis", rank: x.rank), keepdims: try a.bool("keepdims"), largest: largest, label: a.label))
            }
            return Values.wrap(try Tensor.binary(largest ? .maximum : .minimum, x, try a.tensor("b"), label: a.label))
        }
    }

    static func joinList(_ a: BoundArgs, _ fn: String) throws -> [Tensor] {
        let items: [Value]
        switch a["list"] {
        case .list(let l): items = l.items
        case .tensor(let t) where t.rank > 0:
            items = (0..<t.shape[0]).map { k in
                (try? Indexing.get(a["list"], [.index(.number(Double(k)))], label: nil, at: SourceLocation(line: 0, column: 0))) ?? .none
            }
        default: throw BPError.runtime("\(fn)() takes a list of tensors, found a \(describe(a["list"]))")
        }
        if items.isEmpty { throw BPError.runtime(TensorError.emptyJoin.message) }
        return try items.map { v in
            guard let t = try Values.toTensor(v) else { throw BPError.runtime("\(fn)() takes tensors, found a \(describe(v))") }
            return t
        }
    }

    static func atLeast2D(_ t: Tensor) -> Tensor { t.rank >= 2 ? t : Tensor.reshape(t, [1, t.count]) }

    static let functions: [Function] = [
        reduction("sum",
            help: "Sums the elements, over every axis (a number) or over axis (a number or a list of axes), keeping reduced axes as size 1 with keepdims=true. The gradient of each element is 1 times the upstream gradient.",
            example: "sum([[1, 2], [3, 4]], axis=0)   # [4 6]") { x, axes, keep, label in Tensor.sum(x, axes: axes, keepdims: keep, label: label) },
        reduction("mean",
            help: "The mean over every axis or over axis, like NumPy's mean; keepdims=true keeps the reduced axes as size 1.",
            example: "mean([[1, 2], [3, 4]], axis=1)   # [1.5000 3.5000]") { x, axes, keep, label in
            let s = Tensor.sum(x, axes: axes, keepdims: keep)
            return try Tensor.binary(.div, s, constant: reducedCount(x, axes), label: label)
        },
        reduction("norm",
            help: "The Euclidean norm sqrt(sum(x^2)) over every axis or over axis.",
            example: "norm([3, 4])   # 5") { x, axes, keep, label in
            try Tensor.unary(.sqrt, Tensor.sum(try Tensor.binary(.mul, x, x), axes: axes, keepdims: keep), label: label)
        },
        extremum("max", largest: true,
            help: "The largest element, over every axis or over axis (by keyword). With two tensors, max(a, b) is maximum(a, b). The gradient goes to the largest element; ties share it equally.",
            example: "max([[1, 5], [3, 4]], axis=1)   # [5 4]"),
        extremum("min", largest: false,
            help: "The smallest element, over every axis or over axis (by keyword). With two tensors, min(a, b) is minimum(a, b). The gradient goes to the smallest element; ties share it equally.",
            example: "min([3, 1, 2])   # 1"),
        Function.builtin("argmax", [.tensor("x"), BuiltinParam.axis("axis").orNone],
            help: "The index of the largest element: of the flattened tensor, or along axis. Not differentiable. Ties pick the first, as NumPy.",
            example: "argmax([[1, 5], [4, 3]], axis=1)   # [1 0]") { _, a in
            let x = try a.tensor("x")
            if x.count == 0 { throw BPError.runtime("argmax() of an empty tensor") }
            guard a.isNone("axis") else {
                let ax = try a.axis("axis", rank: x.rank)
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
                return Values.wrap(Tensor(shape: outShape, data: out))
            }
            var best = 0
            for i in 1..<x.count where x.data[i] > x.data[best] { best = i }
            return .number(Double(best))
        },
        Function.builtin("softmax", [.tensor("x"), .axis("axis", -1)],
            help: "exp(x) / sum(exp(x)) along axis (default the last), computed stably by subtracting the maximum first.",
            example: "softmax([1, 2, 3])   # [0.0900 0.2447 0.6652]") { _, a in
            let x = try a.tensor("x")
            let (z, s) = try softmaxParts(x, try a.axis("axis", rank: x.rank), label: a.label)
            return Values.wrap(try Tensor.binary(.div, Tensor.unary(.exp, z), s, label: a.label))
        },
        Function.builtin("log_softmax", [.tensor("x"), .axis("axis", -1)],
            help: "log(softmax(x)) along axis (default the last), computed stably as x - max - log(sum(exp(x - max))).",
            example: "log_softmax([1, 2, 3])") { _, a in
            let x = try a.tensor("x")
            let (z, s) = try softmaxParts(x, try a.axis("axis", rank: x.rank), label: a.label)
            return Values.wrap(try Tensor.binary(.sub, z, Tensor.unary(.log, s), label: a.label))
        },
        Function.builtin("clip", [.tensor("x"), .number("lo"), .number("hi")],
            help: "Limits every element to [lo, hi]. The gradient is 1 where lo <= x <= hi and 0 outside, as PyTorch's clamp.",
            example: "clip([-2, 0.5, 3], 0, 1)   # [0.0000 0.5000 1.0000]") { _, a in
            let x = try a.tensor("x"), lo = try a.number("lo"), hi = try a.number("hi")
            // the gradient is 1 where lo <= x <= hi (as PyTorch's clamp), else 0
            return Values.wrap(try Tensor.clip(x, lo, hi, label: a.label))
        },
        Function.builtin("where", [.tensor("cond"), .tensor("a"), .tensor("b")],
            help: "a where cond is non-zero (true), else b, element-wise with broadcasting. The gradient flows to a where cond holds and to b elsewhere.",
            example: "x = [-1, 2]; where(x > 0, x, 0)   # [0 2]") { _, a in
            Values.wrap(try Tensor.select(try a.tensor("cond"), try a.tensor("a"), try a.tensor("b"), label: a.label))
        },
        Function.builtin("leaky_relu", [.tensor("x"), .number("slope", 0.01)],
            help: "x where x > 0, else slope * x (default slope 0.01). Derivative: 1 for x > 0, else slope.",
            example: "leaky_relu([-2, 3])   # [-0.0200  3.0000]") { _, a in
            let x = try a.tensor("x")
            return Values.wrap(try Tensor.leakyRelu(x, slope: try a.number("slope"), label: a.label))
        },
        Function.builtin("reshape", [.tensor("x")], rest: .shape,
            help: "The same elements in another shape (row-major order); one size may be -1 and is then computed. The result is a new tensor (a copy), differentiable.",
            example: "reshape(arange(6), 2, -1)   # [[0 1 2] [3 4 5]]") { _, a in
            let x = try a.tensor("x")
            var dims = try a.sizes(a.rest, signed: true)
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
            return Values.wrap(Tensor.reshape(x, dims, label: a.label))
        },
        Function.builtin("transpose", [.tensor("x")],
            help: "Reverses the axes: a (n, m) tensor becomes (m, n). Same as x.T.",
            example: "transpose([[1, 2, 3]])   # a (3, 1) column") { _, a in
            let x = try a.tensor("x")
            return Values.wrap(Tensor.permute(x, Array((0..<x.rank).reversed()), label: a.label))
        },
        Function.builtin("flatten", [.tensor("x")],
            help: "The elements as a 1-d tensor, row by row.",
            example: "flatten([[1, 2], [3, 4]])   # [1 2 3 4]") { _, a in
            let x = try a.tensor("x")
            return Values.wrap(Tensor.reshape(x, [x.count], label: a.label))
        },
        Function.builtin("concat", [.any("list"), .axis("axis", 0)],
            help: "Joins a list of tensors along an existing axis (default 0); the other sizes must agree. Differentiable.",
            example: "concat([[1, 2], [3]])   # [1 2 3]") { _, a in
            let xs = try joinList(a, "concat")
            if xs[0].rank == 0 { throw BPError.runtime("concat() joins tensors of at least one dimension; use stack() for numbers") }
            return Values.wrap(try Tensor.join(xs, axis: try a.axis("axis", rank: xs[0].rank), newAxis: false, label: a.label))
        },
        Function.builtin("stack", [.any("list"), .axis("axis", 0)],
            help: "Joins a list of same-shaped tensors (or numbers) along a new axis (default 0). Differentiable: stack([a, b * 2]) records a graph through a and b.",
            example: "stack([[1, 2], [3, 4]], axis=1)   # [[1 3] [2 4]]") { _, a in
            let xs = try joinList(a, "stack")
            return Values.wrap(try Tensor.join(xs, axis: try a.axis("axis", rank: xs[0].rank + 1), newAxis: true, label: a.label))
        },
        Function.builtin("hstack", [.any("list")],
            help: "Joins horizontally: 1-d tensors end to end, others along axis 1 (NumPy's hstack).",
            example: "hstack([[1, 2], [3]])   # [1 2 3]") { _, a in
            let xs = try joinList(a, "hstack").map { $0.rank == 0 ? Tensor.reshape($0, [1]) : $0 }
            return Values.wrap(try Tensor.join(xs, axis: xs[0].rank == 1 ? 0 : 1, newAxis: false, label: a.label))
        },
        Function.builtin("vstack", [.any("list")],
            help: "Joins vertically: 1-d tensors become rows, then everything joins along axis 0 (NumPy's vstack).",
            example: "vstack([[1, 2], [3, 4]])   # [[1 2] [3 4]]") { _, a in
            let xs = try joinList(a, "vstack").map(atLeast2D)
            return Values.wrap(try Tensor.join(xs, axis: 0, newAxis: false, label: a.label))
        },
        Function.builtin("column_stack", [.any("list")],
            help: "Joins 1-d tensors as columns (and 2-d ones along axis 1), as NumPy's column_stack.",
            example: "column_stack([[1, 2], [3, 4]])   # [[1 3] [2 4]]") { _, a in
            let xs = try joinList(a, "column_stack").map { $0.rank < 2 ? Tensor.reshape($0, [$0.count, 1]) : $0 }
            return Values.wrap(try Tensor.join(xs, axis: 1, newAxis: false, label: a.label))
        },
        Function.builtin("zeros", [], rest: .shape,
            help: "A tensor of zeros; the shape is given as sizes (zeros(2, 3)) or a list (zeros([2, 3])). Sizes must be whole numbers.",
            example: "zeros(2, 3)") { _, a in try filled(try a.sizes(a.rest)) { 0 } },
        Function.builtin("ones", [], rest: .shape,
            help: "A tensor of ones of the given shape.",
            example: "ones(3)   # [1 1 1]") { _, a in try filled(try a.sizes(a.rest)) { 1 } },
        Function.builtin("full", [], rest: Builtin.Rest("shape..., value", .any),
            help: "A tensor of the given shape filled with value (the last argument).",
            example: "full(2, 2, 7)   # [[7 7] [7 7]]") { _, a in
            guard let value = a.rest.last?.asDouble else { throw BPError.runtime("full(shape..., value) needs a value last") }
            return try filled(try a.sizes(Array(a.rest.dropLast()))) { value }
        },
        Function.builtin("eye", [.count("n")],
            help: "The n-by-n identity matrix.",
            example: "eye(2)   # [[1 0] [0 1]]") { _, a in
            let n = try a.count("n")
            try a.checkSize([n, n])
            var d = [Double](repeating: 0, count: n * n)
            for i in 0..<n { d[i * n + i] = 1 }
            return Values.wrap(Tensor(shape: [n, n], data: d))
        },
        Function.builtin("linspace", [.number("a"), .number("b"), .count("n", 50)],
            help: "n evenly spaced numbers from a to b, both included (NumPy's linspace; n defaults to 50).",
            example: "linspace(0, 1, 5)   # [0.0000 0.2500 0.5000 0.7500 1.0000]") { _, a in
            let lo = try a.number("a"), hi = try a.number("b")
            let n = try a.count("n")
            try a.checkSize([n])
            // NumPy: start + i * step, and the last element exactly b
            let step = n > 1 ? (hi - lo) / Double(n - 1) : 0
            var d = try generated(n) { lo + Double($0) * step }
            if n > 1 { d[n - 1] = hi }
            return Values.wrap(Tensor(shape: [n], data: d))
        },
        Function.builtin("arange", [.number("a"), BuiltinParam.number("b").orNone, .number("step", 1)],
            help: "Numbers from a (default 0) up to but not including b, by step: arange(n), arange(a, b), arange(a, b, step).",
            example: "arange(5)   # [0 1 2 3 4]") { _, a in
            var start = 0.0, stop = try a.number("a")
            if !a.isNone("b") { start = stop; stop = try a.number("b") }
            let step = try a.number("step")
            guard step != 0, step.isFinite, start.isFinite, stop.isFinite else { throw BPError.runtime("arange() needs a finite, non-zero step") }
            let q = Foundation.ceil((stop - start) / step)
            guard q <= Double(Limits.maxElements) else {
                throw BPError.runtime("arange(): \(Formatter().number(q)) elements would be more than \(Limits.maxElements) (the limit; BP_MAX_ELEMENTS changes it)")
            }
            let count = q > 0 ? Int(q) : 0
            return Values.wrap(Tensor(shape: [count], data: try generated(count) { start + Double($0) * step }))
        },
        Function.builtin("seed", [.integer("n")],
            help: "Seeds the shared generator (MT19937, 0 <= n < 2^32) exactly as np.random.seed(n) does, so rand, randn and uniform then give NumPy's numbers.",
            example: "seed(42); rand()   # 0.37454 as np.random.rand()") { _, a in
            let n = try a.integer("n")
            guard n >= 0 && n < 1 << 32 else { throw BPError.runtime("seed() takes a whole number from 0 to 2^32 - 1, found \(n)") }
            Engine.current.random.seed(UInt32(n))
            return .none
        },
        Function.builtin("rand", [], rest: .shape,
            help: "Uniform numbers in [0, 1) of the given shape (a number with no shape), NumPy's legacy np.random.rand.",
            example: "seed(0); rand(2)") { _, a in
            let engine = Engine.current
            return try filled(try a.sizes(a.rest)) { engine.random.nextDouble() }
        },
        Function.builtin("randn", [], rest: .shape,
            help: "Standard normal numbers of the given shape, NumPy's legacy np.random.randn (polar method, the second value kept for the next call).",
            example: "seed(42); W1 = randn(2, 4) * 0.5") { _, a in
            let engine = Engine.current
            return try filled(try a.sizes(a.rest)) { engine.random.nextGaussian() }
        },
        Function.builtin("uniform", [.number("lo", 0), .number("hi", 1)], rest: .shape,
            help: "Uniform numbers in [lo, hi) of the given shape, lo + (hi - lo) * rand(), as np.random.uniform.",
            example: "uniform(-1, 1, 3)") { _, a in
            let lo = try a.number("lo"), hi = try a.number("hi")
            let engine = Engine.current
            return try filled(try a.sizes(a.rest)) { lo + (hi - lo) * engine.random.nextDouble() }
        },
    ]
}
