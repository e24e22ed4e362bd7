import Testing
@testable import BPTensor

/// A node refers to a shared operation (`OperationTable`, `MatmulOperation.shared`) without
/// counting it, and holds its own operation (an axis sum's, an index's) by a counted
/// reference that goes when the node dies or forgets its history (`Tensor.op`, `.ownsOp`).
struct OperationOwnershipTests {
    /// A (2, 3) leaf summed over axis 0: a node with an operation of its own.
    private func axisSum(_ x: Tensor) -> Tensor { Tensor.sum(x, axes: [0]) }

    @Test func sharedOperationsAreMarkedAndNotCounted() throws {
        let a = Tensor(shape: [2, 2], data: [1, 2, 3, 4], kind: .leaf)
        let p = try Tensor.matmul(a, a)
        #expect(p.op === MatmulOperation.shared && MatmulOperation.shared.isShared)
        let e = try Tensor.unary(.exp, a)
        #expect(e.op!.isShared && !p.flags.contains(.ownsOp) && !e.flags.contains(.ownsOp))
        let s = axisSum(a)
        #expect(!s.op!.isShared && s.flags.contains(.ownsOp))
    }

    @Test func aNodesOwnOperationGoesWithTheNode() throws {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6], kind: .leaf)
        weak var root: Operation?, inner: Operation?, changed: Operation?
        do {
            // the root dies through deinit, the inner node through the release stack
            let s = try Tensor.binary(.mul, axisSum(x), constant: 2)
            let t = axisSum(s.reshaped([1, 3]))
            root = t.op
            inner = s.a!.op
            #expect(root != nil && inner != nil)
            #expect(t.data == [10, 14, 18])
        }
        #expect(root == nil, "the root's own operation outlived it")
        #expect(inner == nil, "an inner node's own operation outlived it")
        // a node changed in place forgets its history, its operation with it
        let u = axisSum(x)
        changed = u.op
        #expect(changed != nil)
        u.didChangeInPlace()
        #expect(u.op == nil && !u.flags.contains(.ownsOp))
        #expect(changed == nil)
        // and the graph still works as before
        let v = axisSum(x)
        #expect(v.data == [5, 7, 9] && v.op != nil && v.a === x)
    }
}

private extension Tensor {
    func reshaped(_ shape: [Int]) -> Tensor { Tensor.reshape(self, shape) }
}
