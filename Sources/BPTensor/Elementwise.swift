import Foundation
import CKernels

/// Element-wise functions of one tensor: each case's forward, derivative, derivative as
/// graph operations (for `create_graph`) and rule text, side by side.
///
/// Names: a `UnaryFunction`/`BinaryFunction` is the mathematics (`exp`, `*`); a
/// `UnaryOperation`/`BinaryOperation`/`ScalarOperation` is how a graph node records one
/// (an `Operation`); the language's `UnaryOperator`/`BinaryOperator` are syntax (`-x`, `a @ b`).
public enum UnaryFunction: String, CaseIterable, Sendable {
    case neg, exp, log, sqrt, abs, sin, cos, tan, tanh, sigmoid, relu, softplus
    /// Not differentiable: their gradient is zero (as NumPy-style code treats them).
    case floor, ceil

    @inline(__always)
    public func apply(_ x: Double) -> Double {
        switch self {
        case .neg: return -x
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .abs: return Swift.abs(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tan: return Foundation.tan(x)
        case .tanh: return Foundation.tanh(x)
        case .sigmoid:
            // stable for large |x|
            if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
            let z = Foundation.exp(x)
            return z / (1 + z)
        case .relu: return x > 0 ? x : 0
        case .softplus: return Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .floor: return Foundation.floor(x)
        case .ceil: return Foundation.ceil(x)
        }
    }

    /// dy/dx given the input x and the output y.
    @inline(__always)
    public func derivative(x: Double, y: Double) -> Double {
        switch self {
        case .neg: return -1
        case .exp: return y
        case .log: return 1 / x
        case .sqrt: return 0.5 / y
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .sin: return Foundation.cos(x)
        case .cos: return -Foundation.sin(x)
        case .tan: return 1 + y * y
        case .tanh: return 1 - y * y
        case .sigmoid: return y * (1 - y)
        case .relu: return x > 0 ? 1 : 0  // the derivative at 0 is 0
        case .softplus: return UnaryFunction.sigmoid.apply(x)
        case .floor, .ceil: return 0
        }
    }

    /// The position in `allCases` (which is made anew at each use).
    @inline(__always) var index: Int {
        switch self {
        case .neg: return 0
        case .exp: return 1
        case .log: return 2
        case .sqrt: return 3
        case .abs: return 4
        case .sin: return 5
        case .cos: return 6
        case .tan: return 7
        case .tanh: return 8
        case .sigmoid: return 9
        case .relu: return 10
        case .softplus: return 11
        case .floor: return 12
        case .ceil: return 13
        }
    }

    /// The derivative as text.
    public var rule: String {
        switch self {
        case .neg: return "d(-x)/dx = -1"
        case .exp: return "d exp(x)/dx = exp(x)"
        case .log: return "d log(x)/dx = 1/x"
        case .sqrt: return "d sqrt(x)/dx = 1/(2 sqrt(x))"
        case .abs: return "d abs(x)/dx = sign(x) (0 at 0)"
        case .sin: return "d sin(x)/dx = cos(x)"
        case .cos: return "d cos(x)/dx = -sin(x)"
        case .tan: return "d tan(x)/dx = 1 + tan(x)^2"
        case .tanh: return "d tanh(x)/dx = 1 - tanh(x)^2"
        case .sigmoid: return "d sigmoid(x)/dx = sigmoid(x) (1 - sigmoid(x))"
        case .relu: return "d relu(x)/dx = 1 if x > 0, else 0"
        case .softplus: return "d softplus(x)/dx = sigmoid(x)"
        case .floor: return "d floor(x)/dx = 0"
        case .ceil: return "d ceil(x)/dx = 0"
        }
    }

    /// dy/dx as a tensor computed with recorded operations from the input x and the node y
    /// (nil: zero). A derivative that is constant piece by piece is a constant tensor.
    func local(x: Tensor, y: Tensor) throws -> Tensor? {
        switch self {
        case .neg: return Tensor(scalar: -1)
        case .exp: return y
        case .log: return try Tensor.binary(.div, constant: 1, x, constantOnLeft: true)
        case .sqrt: return try Tensor.binary(.div, constant: 0.5, y, constantOnLeft: true)
        case .sin: return try Tensor.unary(.cos, x)
        case .cos: return try Tensor.unary(.neg, Tensor.unary(.sin, x))
        case .tan: return try Tensor.binary(.add, Tensor.binary(.mul, y, y), constant: 1)
        case .tanh: return try Tensor.binary(.sub, constant: 1, Tensor.binary(.mul, y, y), constantOnLeft: true)
        case .sigmoid: return try Tensor.binary(.mul, y, Tensor.binary(.sub, constant: 1, y, constantOnLeft: true))
        case .softplus: return try Tensor.unary(.sigmoid, x)
        case .abs, .relu: return Tensor.elementwise(x.shape, x.data) { derivative(x: $0, y: 0) }
        case .floor, .ceil: return nil
        }
    }
}

/// Element-wise functions of two tensors, broadcast as NumPy does.
public enum BinaryFunction: String, CaseIterable, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", pow = "^", mod = "%", maximum, minimum

    /// The operation code of `CKernels`' element loops, for + - * /; nil for the others.
    var kernelCode: Int32? {
        switch self {
        case .add: return Int32(BP_ADD)
        case .sub: return Int32(BP_SUB)
        case .mul: return Int32(BP_MUL)
        case .div: return Int32(BP_DIV)
        default: return nil
        }
    }

    @inline(__always)
    public func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return Foundation.pow(a, b)
        case .mod:
            // floor modulo, as Python and NumPy define %; whole operands (loop counters)
            // take the integer path, which is exact there and much cheaper than fmod
            if Swift.abs(a) < 9e15, Swift.abs(b) < 9e15, b != 0, Double(Int64(a)) == a, Double(Int64(b)) == b {
                let r = Int64(a) % Int64(b)
                return Double(r != 0 && ((r < 0) != (b < 0)) ? r + Int64(b) : r)
            }
            let r = Foundation.fmod(a, b)
            return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
        case .maximum: return a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .minimum: return a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        }
    }

    /// (dy/da, dy/db) given the operands and the result.
    @inline(__always)
    public func derivatives(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) {
        switch self {
        case .add: return (1, 1)
        case .sub: return (1, -1)
        case .mul: return (b, a)
        case .div: return (1 / b, -a / (b * b))
        case .pow:
            let da = b == 0 ? 0 : b * Foundation.pow(a, b - 1)
            let db = a > 0 ? y * Foundation.log(a) : (a == 0 ? 0 : .nan)
            return (da, db)
        case .mod: return (1, -Foundation.floor(a / b))
        // ties share the gradient equally, as PyTorch's maximum/minimum do
        case .maximum: return a > b ? (1, 0) : (a < b ? (0, 1) : (0.5, 0.5))
        case .minimum: return a < b ? (1, 0) : (a > b ? (0, 1) : (0.5, 0.5))
        }
    }

    /// The position in `allCases` (which is made anew at each use).
    @inline(__always) var index: Int {
        switch self {
        case .add: return 0
        case .sub: return 1
        case .mul: return 2
        case .div: return 3
        case .pow: return 4
        case .mod: return 5
        case .maximum: return 6
        case .minimum: return 7
        }
    }

    /// The derivatives as text.
    public var rule: String {
        switch self {
        case .add: return "d(a + b)/da = 1, d(a + b)/db = 1"
        case .sub: return "d(a - b)/da = 1, d(a - b)/db = -1"
        case .mul: return "d(a * b)/da = b, d(a * b)/db = a"
        case .div: return "d(a / b)/da = 1/b, d(a / b)/db = -a/b^2"
        case .pow: return "d(a ^ b)/da = b a^(b-1), d(a ^ b)/db = a^b log(a)"
        case .mod: return "d(a % b)/da = 1, d(a % b)/db = -floor(a/b)"
        case .maximum: return "d maximum(a, b)/da = 1 where a > b, 0 where a < b, 1/2 at a tie; db the other way round"
        case .minimum: return "d minimum(a, b)/da = 1 where a < b, 0 where a > b, 1/2 at a tie; db the other way round"
        }
    }

    /// (dy/da, dy/db) as tensors computed with recorded operations (nil: zero, or not
    /// wanted); piecewise constant derivatives are constant tensors.
    func locals(_ a: Tensor, _ b: Tensor, _ y: Tensor, wantA: Bool, wantB: Bool) throws -> (Tensor?, Tensor?) {
        switch self {
        case .add: return (Tensor(scalar: 1), Tensor(scalar: 1))
        case .sub: return (Tensor(scalar: 1), Tensor(scalar: -1))
        case .mul: return (b, a)
        case .div:
            let da = wantA ? try Tensor.binary(.div, constant: 1, b, constantOnLeft: true) : nil
            let db = wantB ? try Tensor.unary(.neg, Tensor.binary(.div, a, Tensor.binary(.mul, b, b))) : nil
            return (da, db)
        case .pow:
            let da = wantA ? try Tensor.binary(.mul, b, Tensor.binary(.pow, a, Tensor.binary(.sub, b, constant: 1))) : nil
            let db = wantB ? try Tensor.binary(.mul, y, Tensor.unary(.log, a)) : nil
            return (da, db)
        case .mod, .maximum, .minimum:
            let shape = try Broadcast.result(a.shape, b.shape, op: rawValue)
            let (x, z) = (Broadcast.expand(a, to: shape), Broadcast.expand(b, to: shape))
            var la = [Double](repeating: 0, count: x.count), lb = la
            for i in 0..<x.count { (la[i], lb[i]) = derivatives(x[i], z[i], 0) }
            return (Tensor(shape: shape, data: la), Tensor(shape: shape, data: lb))
        }
    }
}

/// A recorded unary function (one shared instance per function).
final class UnaryOperation: Operation, @unchecked Sendable {  // immutable: shared by every thread
    let fn: UnaryFunction
    init(_ fn: UnaryFunction) { self.fn = fn }
    static let all = OperationTable(UnaryFunction.allCases.map(UnaryOperation.init))
    static func of(_ fn: UnaryFunction) -> UnaryOperation { all[fn.index] }

    override var symbol: String { fn.rawValue }
    override var rule: String { fn.rule }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor { try Tensor.unary(fn, inputs[0]) }

    @inline(__always) override func backwardInline(_ node: Tensor) -> Bool {
        let x = node.a!
        guard x.isInline else { return false }
        if x.requiresGrad { x.grad0 += node.grad0 * fn.derivative(x: x.value0, y: node.value0) }
        return true
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        let xs = x.data, ys = node.data
        if trace == nil {
            // only the products (the local derivatives are for the tracer), the function
            // chosen outside the loop; each product is g * local as below
            let add: [Double]
            switch fn {
            case .sigmoid:
                add = try g.withUnsafeBufferPointer { gb in
                    try ys.withUnsafeBufferPointer { yb in
                        try makeBuffer(gb.count) { o in
                            try Tensor.chunks(gb.count) { r in
                                bp_sigmoid_grad(gb.baseAddress! + r.lowerBound, yb.baseAddress! + r.lowerBound, o + r.lowerBound, r.count)
                            }
                        }
                    }
                }
            case .tanh: add = try Tensor.zip3(g, xs, ys) { g, _, y in g * (1 - y * y) }
            case .exp: add = try Tensor.zip3(g, xs, ys) { g, _, y in g * y }
            case .log: add = try Tensor.zip3(g, xs, ys) { g, x, _ in g * (1 / x) }
            case .relu: add = try Tensor.zip3(g, xs, ys) { g, x, _ in g * (x > 0 ? 1 : 0) }
            default: add = try Tensor.zip3(g, xs, ys) { [fn] g, x, y in g * fn.derivative(x: x, y: y) }
            }
            Backward.accumulate(add, local: [], into: x, outShape: node.shape, via: node, upstream: g, trace: nil)
            return
        }
        var add = [Double](repeating: 0, count: g.count)
        var local = add
        for i in 0..<g.count {
            local[i] = fn.derivative(x: xs[i], y: ys[i])
            add[i] = g[i] * local[i]
        }
        Backward.accumulate(add, local: local, into: x, outShape: node.shape, via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        guard let l = try fn.local(x: node.a!, y: node) else { return [nil] }
        return [try Tensor.binary(.mul, g, l)]
    }
}

/// A recorded binary function of two tensors (one shared instance per function).
final class BinaryOperation: Operation, @unchecked Sendable {  // immutable: shared by every thread
    let fn: BinaryFunction
    init(_ fn: BinaryFunction) { self.fn = fn }
    static let all = OperationTable(BinaryFunction.allCases.map(BinaryOperation.init))
    static func of(_ fn: BinaryFunction) -> BinaryOperation { all[fn.index] }

    override var symbol: String { fn.rawValue }
    override var rule: String { fn.rule }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor { try Tensor.binary(fn, inputs[0], inputs[1]) }

    @inline(__always) override func backwardInline(_ node: Tensor) -> Bool {
        let a = node.a!, b = node.b!
        guard a.isInline, b.isInline else { return false }
        let (da, db) = fn.derivatives(a.value0, b.value0, node.value0)
        let g = node.grad0
        if a.requiresGrad { a.grad0 += g * da }
        if b.requiresGrad { b.grad0 += g * db }
        return true
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let a = node.a!, b = node.b!
        if trace == nil, fn == .add || fn == .sub || fn == .mul {
            // g * 1 is g, g * -1 is -g, g * b is the broadcast product: the numbers of the
            // general path below without expanding the operands or making local arrays
            let shape = node.shape
            // g as a tensor only where a product needs it (+ and - pass g on)
            let gt = fn == .mul ? Tensor(shape: shape, data: g) : nil
            if a.requiresGrad {
                let ga = fn == .mul ? try Broadcast.zipInline(gt!, b, op: "*", kernel: Int32(BP_MUL)) { $0 * $1 }.data : g
                Backward.accumulate(ga, local: [], into: a, outShape: shape, via: node, upstream: g, trace: nil,
                                    noNegativeZero: fn != .mul)
            }
            if b.requiresGrad {
                let gb = fn == .add ? g
                    : fn == .sub ? try Tensor.kernel(g) { bp_zip_number(Int32(BP_MUL), $0, -1, 0, $1, $2) }
                    : try Broadcast.zipInline(gt!, a, op: "*", kernel: Int32(BP_MUL)) { $0 * $1 }.data
                Backward.accumulate(gb, local: [], into: b, outShape: shape, via: node, upstream: g, trace: nil,
                                    noNegativeZero: fn == .add)
            }
            return
        }
        let n = g.count
        let x = Broadcast.expand(a, to: node.shape), z = Broadcast.expand(b, to: node.shape), y = node.data
        var la = [Double](repeating: 0, count: n), lb = la
        var ga = la, gb = lb
        la.withUnsafeMutableBufferPointer { la in
            lb.withUnsafeMutableBufferPointer { lb in
                ga.withUnsafeMutableBufferPointer { ga in
                    gb.withUnsafeMutableBufferPointer { gb in
                        for i in 0..<n {
                            (la[i], lb[i]) = fn.derivatives(x[i], z[i], y[i])
                            ga[i] = g[i] * la[i]
                            gb[i] = g[i] * lb[i]
                        }
                    }
                }
            }
        }
        if a.requiresGrad { Backward.accumulate(ga, local: la, into: a, outShape: node.shape, via: node, upstream: g, trace: trace) }
        if b.requiresGrad { Backward.accumulate(gb, local: lb, into: b, outShape: node.shape, via: node, upstream: g, trace: trace) }
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let a = node.a!, b = node.b!
        let (la, lb) = try fn.locals(a, b, node, wantA: a.requiresGrad, wantB: b.requiresGrad)
        return [try la.map { try Tensor.sumTo(Tensor.binary(.mul, g, $0), a.shape) },
                try lb.map { try Tensor.sumTo(Tensor.binary(.mul, g, $0), b.shape) }]
    }
}

/// A binary function of a tensor and a constant number kept in the node (`y * 1.0001`,
/// `1 - y`): no tensor is made for the constant. One shared instance per function and side.
final class ScalarOperation: Operation, @unchecked Sendable {  // immutable: shared by every thread
    let fn: BinaryFunction
    /// True when the constant is the left operand (`1 - y`).
    let constantOnLeft: Bool
    init(_ fn: BinaryFunction, _ left: Bool) { self.fn = fn; constantOnLeft = left }
    static let all = OperationTable(BinaryFunction.allCases.flatMap { [ScalarOperation($0, false), ScalarOperation($0, true)] })
    static func of(_ fn: BinaryFunction, left: Bool) -> ScalarOperation {
        all[2 * fn.index + (left ? 1 : 0)]
    }

    override var symbol: String { fn.rawValue }
    override var rule: String { fn.rule }
    override var constantIsLeft: Bool? { constantOnLeft }

    @inline(__always) func local(_ x: Double, _ c: Double, _ y: Double) -> Double {
        constantOnLeft ? fn.derivatives(c, x, y).1 : fn.derivatives(x, c, y).0
    }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        try Tensor.binary(fn, constant: node.constant, inputs[0], constantOnLeft: constantOnLeft)
    }

    @inline(__always) override func backwardInline(_ node: Tensor) -> Bool {
        let x = node.a!
        guard x.isInline else { return false }
        if x.requiresGrad { x.grad0 += node.grad0 * local(x.value0, node.constant, node.value0) }
        return true
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        let xs = x.data, ys = node.data, c = node.constant
        if trace == nil {
            // g * local as below, the local derivative written out per function
            let add: [Double]?
            switch (fn, constantOnLeft) {
            case (.add, _), (.sub, false): add = g  // g * 1
            case (.sub, true): add = try Tensor.map(g) { $0 * -1 }
            case (.mul, _): add = try Tensor.map(g) { $0 * c }
            case (.div, false): let l = 1 / c; add = try Tensor.map(g) { $0 * l }
            case (.div, true): add = try Tensor.zip3(g, xs, ys) { g, x, _ in g * (-c / (x * x)) }
            default: add = nil
            }
            if let add {
                Backward.accumulate(add, local: [], into: x, outShape: node.shape, via: node, upstream: g, trace: nil)
                return
            }
        }
        var add = [Double](repeating: 0, count: g.count)
        var l = add
        for i in 0..<g.count {
            l[i] = local(xs[i], c, ys[i])
            add[i] = g[i] * l[i]
        }
        Backward.accumulate(add, local: l, into: x, outShape: node.shape, via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let x = node.a!, c = Tensor(scalar: node.constant)
        let (la, lb) = constantOnLeft ? try fn.locals(c, x, node, wantA: false, wantB: true)
                                      : try fn.locals(x, c, node, wantA: true, wantB: false)
        guard let l = constantOnLeft ? lb : la else { return [nil] }
        return [try Tensor.sumTo(Tensor.binary(.mul, g, l), x.shape)]
    }
}

extension Tensor {
    /// Runs `body` over 0..<n in blocks of `Engine.pollInterval`, looking at the interrupt
    /// flag between blocks (the caller writes into a buffer it has not published yet).
    @inline(__always)
    static func chunks(_ n: Int, _ body: (Range<Int>) throws -> Void) throws {
        if n <= Engine.pollInterval { return try body(0..<n) }
        var start = 0
        while start < n {
            try Engine.poll()
            let end = Swift.min(n, start + Engine.pollInterval)
            try body(start..<end)
            start = end
        }
    }

    /// A constant tensor of `shape` with `f` applied to each of `values`.
    static func elementwise(_ shape: [Int], _ values: [Double], _ f: (Double) -> Double) -> Tensor {
        Tensor(shape: shape, data: values.map(f))
    }

    /// Applies a unary function, recording the node when `x` requires a gradient.
    public static func unary(_ op: UnaryFunction, _ x: Tensor, label: Label? = nil) throws -> Tensor {
        let t: Tensor
        if x.isInline {
            t = Tensor(scalar: op.apply(x.value0))
        } else {
            let d = x.elements, n = x.storage!.count
            t = try make(n, shapeOf: x) { o in try apply(op, d, n, into: o) }
        }
        Engine.record(t, UnaryOperation.of(op), x, label: label)
        return t
    }

    /// Applies a binary function of a tensor and a constant number (the constant on the
    /// right unless `constantOnLeft`), recording the node when `x` requires a gradient.
    public static func binary(_ op: BinaryFunction, constant c: Double, _ x: Tensor, constantOnLeft: Bool,
                              label: Label? = nil) throws -> Tensor {
        let t: Tensor
        if x.isInline {
            t = Tensor(scalar: constantOnLeft ? op.apply(c, x.value0) : op.apply(x.value0, c))
        } else {
            let d = x.elements, n = x.storage!.count
            let first: Int32 = constantOnLeft ? 1 : 0
            if let code = op.kernelCode {
                t = try make(n, shapeOf: x) { o in
                    try chunks(n) { r in bp_zip_number(code, d + r.lowerBound, c, first, o + r.lowerBound, r.count) }
                }
            } else if constantOnLeft {
                t = try make(n, shapeOf: x) { o in try fill(o, d, n) { op.apply(c, $0) } }
            } else {
                t = try make(n, shapeOf: x) { o in try fill(o, d, n) { op.apply($0, c) } }
            }
        }
        t.constant = c
        Engine.record(t, ScalarOperation.of(op, left: constantOnLeft), x, label: label)
        return t
    }

    /// `binary(op, x, constant: c)` with the constant on the right.
    public static func binary(_ op: BinaryFunction, _ x: Tensor, constant c: Double, label: Label? = nil) throws -> Tensor {
        try binary(op, constant: c, x, constantOnLeft: false, label: label)
    }

    /// Applies a binary function with broadcasting, recording the node when needed.
    public static func binary(_ op: BinaryFunction, _ a: Tensor, _ b: Tensor, label: Label? = nil) throws -> Tensor {
        let t = a.isInline && b.isInline ? Tensor(scalar: op.apply(a.value0, b.value0)) : try zip(op, a, b)
        Engine.record(t, BinaryOperation.of(op), a, b, label: label)
        return t
    }

    /// `x op= v` element by element in place, `v` of x's shape or a single number, through
    /// `CKernels`' loops for + - * / (`W -= lr * W.grad`); false, with x untouched, for any
    /// other function or shape (the caller's general loop handles those). Marks x changed.
    public static func updateInPlace(_ x: Tensor, _ op: BinaryFunction, _ v: Tensor) -> Bool {
        guard let code = op.kernelCode else { return false }
        guard v.isInline || v.sameStoredShape(x) || v.count == 1 else { return false }
        // v's elements where they are: a number, or v's buffer (x's own when v is x: the same
        // element read before it is written; a buffer x copies first stays v's)
        let number: Double? = v.isInline ? v.value0 : v.count == 1 && !x.isInline && x.storage!.count != 1 ? v.scalar : nil
        let w = number == nil ? v.elements : nil
        x.update { d in
            d.withUnsafeMutableBufferPointer { p in
                guard let o = p.baseAddress else { return }
                if let w {
                    bp_zip(code, o, w, o, p.count)
                } else {
                    bp_zip_number(code, o, number!, 0, o, p.count)
                }
            }
        }
        return true
    }

    /// The broadcast loop with the function chosen once, outside it.
    static func zip(_ op: BinaryFunction, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let name = op.rawValue
        switch op {
        case .add: return try Broadcast.zipInline(a, b, op: name, kernel: Int32(BP_ADD)) { $0 + $1 }
        case .sub: return try Broadcast.zipInline(a, b, op: name, kernel: Int32(BP_SUB)) { $0 - $1 }
        case .mul: return try Broadcast.zipInline(a, b, op: name, kernel: Int32(BP_MUL)) { $0 * $1 }
        case .div: return try Broadcast.zipInline(a, b, op: name, kernel: Int32(BP_DIV)) { $0 / $1 }
        case .pow, .mod, .maximum, .minimum: return try Broadcast.zip(a, b, op: name, op.apply)
        }
    }

    /// `f` of each element as a new buffer, polling between blocks; inlined, so a literal
    /// closure runs in the loop itself.
    @inline(__always)
    static func map(_ d: [Double], _ f: (Double) -> Double) throws -> [Double] {
        try d.withUnsafeBufferPointer { src in
            try makeBuffer(src.count) { o in try fill(o, src.baseAddress ?? noElements, src.count, f) }
        }
    }

    /// o[i] = f(s[i]) for i < n, polling between blocks.
    @inline(__always)
    static func fill(_ o: UnsafeMutablePointer<Double>, _ s: UnsafePointer<Double>, _ n: Int,
                     _ f: (Double) -> Double) throws {
        try chunks(n) { r in for i in r { o[i] = f(s[i]) } }
    }

    /// `f(a[i], b[i], c[i])` for three arrays of one length (a backward pass's g, x, y).
    @inline(__always)
    static func zip3(_ a: [Double], _ b: [Double], _ c: [Double], _ f: (Double, Double, Double) -> Double) throws -> [Double] {
        try a.withUnsafeBufferPointer { a in
            try b.withUnsafeBufferPointer { b in
                try c.withUnsafeBufferPointer { c in
                    try makeBuffer(a.count) { o in
                        let ap = a.baseAddress!, bp = b.baseAddress!, cp = c.baseAddress!
                        try chunks(a.count) { r in for i in r { o[i] = f(ap[i], bp[i], cp[i]) } }
                    }
                }
            }
        }
    }

    /// A C kernel (`CKernels`) over each block of `d` into a new buffer.
    static func kernel(_ d: [Double], _ f: (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void) throws -> [Double] {
        try d.withUnsafeBufferPointer { src in
            try makeBuffer(src.count) { o in try run(o, src.baseAddress ?? noElements, src.count, f) }
        }
    }

    /// A C kernel over each block of the n elements at `s`, into `o`.
    @inline(__always)
    static func run(_ o: UnsafeMutablePointer<Double>, _ s: UnsafePointer<Double>, _ n: Int,
                    _ f: (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void) throws {
        try chunks(n) { r in f(s + r.lowerBound, o + r.lowerBound, r.count) }
    }

    /// `op` of the n elements at `d`, into `o`, the function chosen once outside the loop (the
    /// switch in every iteration cost more than `relu` itself).
    static func apply(_ op: UnaryFunction, _ d: UnsafePointer<Double>, _ n: Int, into o: UnsafeMutablePointer<Double>) throws {
        switch op {
        case .neg: try fill(o, d, n) { -$0 }
        // glibc's exp 4 lanes at a time (CKernels: the same bits, AVX2 chosen at run time)
        case .exp: try run(o, d, n, bp_exp)
        case .log: try fill(o, d, n) { Foundation.log($0) }
        case .tanh: try fill(o, d, n) { Foundation.tanh($0) }
        case .relu: try fill(o, d, n) { $0 > 0 ? $0 : 0 }
        // the same numbers as `apply`: 1 / (1 + e^-x) for x ≥ 0, e^x / (1 + e^x) below
        case .sigmoid: try run(o, d, n, bp_sigmoid)
        default: try fill(o, d, n) { op.apply($0) }
        }
    }
}
