import Foundation
import Testing
@testable import BPTensor

/// glibc's (malloc.h is not in the Glibc module).
@_silgen_name("malloc_usable_size") func mallocUsableSize(_ p: UnsafeMutableRawPointer?) -> Int

/// Every recorded operation carries its derivative rule as text (for explain and check),
/// and computes its derivative as recorded operations (create_graph).
@Suite struct OperationRuleTests {
    func leaf(_ shape: [Int], _ data: [Double]) -> Tensor { Tensor(shape: shape, data: data, kind: .leaf) }

    @Test func everyOperationKindHasARule() throws {
        let a = leaf([2], [0.5, -1]), b = leaf([2], [2, 3]), m = leaf([2, 2], [1, 2, 3, 4])
        let nodes: [Tensor] = [
            try Tensor.unary(.exp, a), try Tensor.binary(.mul, a, b), try Tensor.binary(.mul, a, constant: 2),
            Tensor.gather(a, [1, 0], shape: [2]), Tensor.sum(a, axes: nil), try Tensor.matmul(m, a),
            try Tensor.join([a, b, a], axis: 0, newAxis: true), try Tensor.select(Tensor(shape: [2], data: [1, 0]), a, b),
            try Tensor.clip(a, -0.5, 0.5), try Tensor.leakyRelu(a, slope: 0.1), try Tensor.extreme(m, axes: [1], keepdims: false, largest: true),
        ]
        for n in nodes {
            let op = try #require(n.op)
            #expect(op.rule.hasPrefix("d"), "\(op.symbol): \(op.rule)")
            #expect(op.rule.contains("/d"), "\(op.symbol): \(op.rule)")
        }
        #expect(nodes[1].op!.rule == "d(a * b)/da = b, d(a * b)/db = a")
        #expect(nodes[0].op!.rule == "d exp(x)/dx = exp(x)")
    }

    /// The symbolic derivative of every element-wise function agrees with its numeric one.
    @Test func symbolicAndNumericDerivativesAgree() throws {
        for fn in UnaryFunction.allCases {
            let x = leaf([3], [0.3, 0.7, 1.9])
            let y = try Tensor.unary(fn, x)
            let seed = Tensor(shape: [3], data: [1, 1, 1])
            let numeric = try Backward.gradients(y, [x], seed: seed, createGraph: false)[0].data
            let symbolic = try Backward.gradients(y, [x], seed: seed, createGraph: true)[0].data
            for (p, q) in zip(numeric, symbolic) { #expect(abs(p - q) < 1e-12, "\(fn)") }
        }
        for fn in BinaryFunction.allCases {
            let a = leaf([3], [0.3, 2.5, 1.9]), b = leaf([3], [1.5, 0.7, 1.9])
            let y = try Tensor.binary(fn, a, b)
            let seed = Tensor(shape: [3], data: [1, 2, 3])
            let numeric = try Backward.gradients(y, [a, b], seed: seed, createGraph: false).map(\.data)
            let symbolic = try Backward.gradients(y, [a, b], seed: seed, createGraph: true).map(\.data)
            for k in 0..<2 { for (p, q) in zip(numeric[k], symbolic[k]) { #expect(abs(p - q) < 1e-12, "\(fn)") } }
        }
    }

    /// d2/dx2 of sum((W @ x)^2) is 2 WᵀW (computed with NumPy: [[20, -2], [-2, 10]]).
    @Test func hessianOfAMatmulExpression() throws {
        let w = leaf([2, 2], [1, 2, 3, -1]), x = leaf([2], [0.5, -1])
        let wx = try Tensor.matmul(w, x)
        let f = Tensor.sum(try Tensor.binary(.mul, wx, wx), axes: nil)
        let g = try Backward.gradients(f, [x], createGraph: true)[0]
        #expect(g.requiresGrad)
        let row0 = try Backward.gradients(Tensor.gather(g, [0], shape: []), [x], createGraph: false)[0]
        let row1 = try Backward.gradients(Tensor.gather(g, [1], shape: []), [x], createGraph: false)[0]
        #expect(row0.data == [20, -2])
        #expect(row1.data == [-2, 10])
    }

    /// A 0-d node is one small object: its value and gradient are inline (issue 8, item 7:
    /// at most 150 bytes of peak memory a node).
    @Test func aNumberNodeIsOneSmallObject() throws {
        let x = Tensor(scalar: 1, kind: .leaf)
        let y = try Tensor.binary(.mul, x, constant: 1.0001)
        #expect(y.isInline && y.storage == nil)
        let size = mallocUsableSize(Unmanaged.passUnretained(y).toOpaque())
        #expect(size <= 104, "a node takes \(size) bytes")
    }
}
