import Foundation
import Testing
@testable import BPTensor

/// Central difference of a scalar function of one tensor's elements.
func centralDifference(_ x: Tensor, h: Double = 1e-6, _ f: () throws -> Tensor) rethrows -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count {
        let keep = x.data[i]
        x.data[i] = keep + h
        let fp = try f().data.reduce(0, +)
        x.data[i] = keep - h
        let fm = try f().data.reduce(0, +)
        x.data[i] = keep
        g[i] = (fp - fm) / (2 * h)
    }
    return g
}

func leaf(_ shape: [Int], _ data: [Double]) -> Tensor { Tensor(shape: shape, data: data, kind: .leaf) }

/// Sums every element so that any output reduces to one number for backward.
func total(_ t: Tensor) throws -> Tensor {
    var s = t
    if t.count > 1 {
        // sum by adding gathered elements (only operations under test are used)
        s = Tensor.gather(t, [0], shape: [])
        for i in 1..<t.count { s = try Tensor.binary(.add, s, Tensor.gather(t, [i], shape: [])) }
    }
    return s
}

func expectClose(_ a: [Double], _ b: [Double], tol: Double = 1e-5, _ what: String) {
    #expect(a.count == b.count, "\(what): counts")
    for (x, y) in zip(a, b) {
        #expect(abs(x - y) <= tol * max(1, abs(y)), "\(what): analytic \(x) vs numeric \(y)")
    }
}

@Suite struct UnaryGradients {
    // inputs chosen inside every function's domain (log, sqrt need x > 0)
    static let inputs: [Double] = [0.3, 1.7, 0.9, 2.2]

    @Test(arguments: UnaryFunction.allCases)
    func derivativeMatchesCentralDifference(_ op: UnaryFunction) throws {
        let x = leaf([2, 2], UnaryGradients.inputs.map { op == .relu || op == .abs ? $0 - 1 : $0 })
        let f = { try total(Tensor.unary(op, x)) }
        try Backward.run(try f())
        expectClose(x.grad!, try centralDifference(x, f), "\(op)")
    }
}

@Suite struct BinaryGradients {
    @Test(arguments: BinaryFunction.allCases)
    func sameShape(_ op: BinaryFunction) throws {
        let a = leaf([3], [1.5, 0.7, 2.0]), b = leaf([3], [0.4, 1.3, 1.1])  // away from mod's jumps
        let f = { try total(Tensor.binary(op, a, b)) }
        try Backward.run(try f())
        expectClose(a.grad!, try centralDifference(a, f), "\(op) a")
        expectClose(b.grad!, try centralDifference(b, f), "\(op) b")
    }

    @Test(arguments: [BinaryFunction.add, .mul, .sub, .div, .pow])
    func broadcastGradientIsSummedBackToShape(_ op: BinaryFunction) throws {
        let a = leaf([2, 3], [1.5, 0.7, 2.0, 1.1, 0.4, 0.9]), b = leaf([1, 3], [0.5, 1.3, 1.1])
        let c = leaf([], [1.7])
        let f = { try total(Tensor.binary(op, try Tensor.binary(op, a, b), c)) }
        try Backward.run(try f())
        #expect(b.grad!.count == 3)
        expectClose(a.grad!, try centralDifference(a, f), "\(op) a")
        expectClose(b.grad!, try centralDifference(b, f), "\(op) b (1,3)")
        expectClose(c.grad!, try centralDifference(c, f), "\(op) c scalar")
    }

    @Test func mismatchedShapesNameBothShapes() {
        #expect(throws: TensorError.shapeMismatch(op: "+", a: [4, 2], b: [3]) ) {
            try Tensor.binary(.add, Tensor(shape: [4, 2], data: Array(repeating: 0, count: 8)), Tensor(shape: [3], data: [0, 0, 0]))
        }
    }
}

@Suite struct BackwardRules {
    @Test func chainRuleSumsOverPaths() throws {
        // f = (a + b) * (b + c) at 1, 2, 3: df/da = 5, df/db = 8, df/dc = 3 (by hand)
        let a = leaf([], [1]), b = leaf([], [2]), c = leaf([], [3])
        let f = try Tensor.binary(.mul, try Tensor.binary(.add, a, b), try Tensor.binary(.add, b, c))
        try Backward.run(f)
        #expect(a.grad == [5] && b.grad == [8] && c.grad == [3])
    }

    @Test func accumulateAddsAndReports() throws {
        let a = leaf([], [2])
        let f = try Tensor.binary(.mul, a, a)
        try Backward.run(f)
        #expect(a.grad == [4])
        let (_, acc) = try Backward.run(f, accumulate: true)
        #expect(a.grad == [8])
        #expect(acc.contains { $0.tensor === a && $0.before == [4] })
        try Backward.run(f)
        #expect(a.grad == [4], "a plain backward zeroes first")
    }

    @Test func inPlaceChangeOfAUsedTensorIsAnError() throws {
        let a = leaf([], [2])
        a.label = Label(name: "a")
        let f = try Tensor.binary(.mul, a, a)
        a.update { $0[0] = 3 }
        #expect(throws: TensorError.self) { try Backward.run(f) }
        #expect(a.kind == .leaf, "a leaf stays a leaf after an in-place update")
    }

    @Test func nonScalarNeedsASeed() throws {
        let a = leaf([2], [1, 2])
        let y = try Tensor.binary(.mul, a, a)
        #expect(throws: TensorError.notScalar(shape: [2])) { try Backward.run(y) }
        try Backward.run(y, seed: [1, 1])
        #expect(a.grad == [2, 4])
    }

    @Test func nothingIsRecordedWhenDisabled() throws {
        let a = leaf([], [2])
        let y = try Engine.current.withGrad(false) { try Tensor.binary(.mul, a, a) }
        #expect(y.kind == .constant && y.op == nil)
    }

    @Test func replayGivesTheNumericGradient() throws {
        let x = leaf([], [3])
        let y = try Tensor.binary(.pow, x, Tensor(scalar: 2))
        let g = try Replay.numericGradient(y, x)
        #expect(abs(g[0] - 6) < 1e-6)
    }

    /// A chain of 10^6 recorded nodes builds, runs backward and is freed without
    /// recursion (the default deinit of such a chain overflows the stack).
    @Test func millionNodeChain() throws {
        Engine.current.note = { _ in }
        let x = leaf([], [1])
        var y = x
        let one = Tensor(scalar: 1e-6)
        for _ in 0..<1_000_000 { y = try Tensor.binary(.add, y, one) }
        #expect(y.depth == 1_000_000)
        try Backward.run(y)
        #expect(x.grad == [1])
        y = x  // releases the whole chain
        #expect(y === x)
    }
}

@Suite struct TopologicalOrderTests {
    /// z is an input of the output directly and, deeper, through exp(z): it must come after
    /// exp(z) in the backward pass, or the deeper path's gradient is lost.
    @Test func nodeReachedByPathsOfDifferentDepth() throws {
        let x = leaf([], [0.3])
        let z = try Tensor.unary(.tanh, x)
        let deep = try Tensor.unary(.log, Tensor.unary(.exp, Tensor.unary(.sin, z)))
        let out = try Tensor.binary(.sub, z, deep)  // z - sin(z): d/dx = (1 - cos z)(1 - z^2)
        try Backward.run(out)
        let zv = tanh(0.3)
        #expect(abs(x.grad![0] - (1 - cos(zv)) * (1 - zv * zv)) < 1e-12)
        let order = Backward.topologicalOrder(out)
        let zi = order.firstIndex { $0 === z }!
        for (k, t) in order.enumerated() where t.inputs.contains(where: { $0 === z }) == true {
            #expect(k > zi, "a user of z comes after z")
        }
    }
}

@Suite struct BroadcastTests {
    @Test(arguments: [([3], [2, 3], true), ([1, 3], [2, 3], true), ([], [2, 3], true), ([2, 1], [2, 3], false),
                      ([1, 1, 3], [4, 2, 3], true), ([2, 3], [4, 2, 3], true), ([4, 1, 3], [4, 2, 3], false)] as [([Int], [Int], Bool)])
    func suffixShapes(_ shape: [Int], _ out: [Int], _ expected: Bool) {
        #expect(Broadcast.isSuffix(shape, of: out) == expected)
    }

    /// The suffix fast path and the general path agree, forward and backward.
    @Test func fastAndGeneralPathsAgree() throws {
        let a = leaf([2, 2, 3], (0..<12).map { Double($0) * 0.3 - 1 }), row = leaf([1, 3], [0.5, -1, 2])
        let col = leaf([2, 1, 1], [3, -2])  // not a suffix: general path
        let y = try Tensor.binary(.mul, try Tensor.binary(.add, a, row), col)
        let s = try total(y)
        try Backward.run(s)
        for i in 0..<12 {
            let r = i % 3, c = i / 6
            #expect(abs(y.data[i] - (a.data[i] + row.data[r]) * col.data[c]) < 1e-12)
        }
        expectClose(row.grad!, try centralDifference(row) { try total(try Tensor.binary(.mul, try Tensor.binary(.add, a, row), col)) }, "row")
    }
}

@Suite struct OperationTableTests {
    /// The shared operations are found by position: every function gets its own.
    @Test func everyFunctionHasItsOperation() {
        for fn in UnaryFunction.allCases { #expect(UnaryOperation.of(fn).fn == fn) }
        for fn in BinaryFunction.allCases {
            #expect(BinaryOperation.of(fn).fn == fn)
            #expect(ScalarOperation.of(fn, left: true).fn == fn && ScalarOperation.of(fn, left: true).constantOnLeft)
            #expect(ScalarOperation.of(fn, left: false).fn == fn && !ScalarOperation.of(fn, left: false).constantOnLeft)
        }
    }
}
