import Testing
@testable import BPTensor

/// A dead tensor's storage is kept for the next result of its size (`StoragePool`): reusing
/// it must never change a value anything else still holds, and must start clean.
struct StoragePoolTests {
    /// Each test starts with its thread's pool empty (a test runs on one thread).
    init() { StoragePool.current.pointee.removeAll() }

    /// The storages of two tensors that die now (an operand and its result, made and
    /// dropped inside), by identity.
    private func deadStorages(_ data: [Double], shape: [Int]) -> Set<ObjectIdentifier> {
        let x = Tensor(shape: shape, data: data)
        let t = try! Tensor.binary(.add, x, constant: 0)
        return [ObjectIdentifier(x.storage!), ObjectIdentifier(t.storage!)]
    }

    @Test func aResultOfTheSameSizeReusesADeadTensorsStorage() throws {
        let ids = deadStorages([1, 2, 3, 4], shape: [4, 1])
        let x = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
        let r = try Tensor.binary(.mul, x, constant: 10)
        #expect(ids.contains(ObjectIdentifier(r.storage!)), "no kept storage was used")
        // the new shape, not the dead tensor's
        #expect(r.shape == [2, 2])
        #expect(r.data == [10, 20, 30, 40])
    }

    @Test func anArrayStillHeldElsewhereIsNotOverwritten() throws {
        // the dead tensor's elements handed out (as `.data` does) before it died
        var held: [Double] = []
        do {
            let t = try Tensor.binary(.add, Tensor(shape: [3], data: [1, 2, 3]), constant: 0)
            held = t.data
        }
        let r = try Tensor.binary(.mul, Tensor(shape: [3], data: [5, 6, 7]), constant: 2)
        #expect(r.data == [10, 12, 14])
        #expect(held == [1, 2, 3])
    }

    @Test func aPendingTransposeOfADeadTensorKeepsItsNumbers() throws {
        var t: Tensor
        do {
            let s = try Tensor.binary(.add, Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]), constant: 0)
            t = Tensor.permute(s, [1, 0])
        }
        // s died; its array is the transpose's source: a result of 6 elements must not
        // write into it
        let r = try Tensor.binary(.sub, Tensor(shape: [6], data: [9, 9, 9, 9, 9, 9]), constant: 1)
        #expect(r.data == [8, 8, 8, 8, 8, 8])
        #expect(t.data == [1, 4, 2, 5, 3, 6])
    }

    @Test func aReusedStorageHasNoGradient() throws {
        do {
            let a = Tensor(shape: [2], data: [1, 2], kind: .leaf)
            let y = try Tensor.binary(.mul, a, constant: 3)
            y.grad = [7, 8]
            y.markGradient(of: a)
        }
        let r = try Tensor.binary(.add, Tensor(shape: [2], data: [1, 1]), constant: 1)
        #expect(r.grad == nil)
        #expect(r.gradientOf == nil)
        #expect(!r.isGradient)
        #expect(r.data == [2, 2])
    }

    @Test func theProductAndUnaryFunctionsWriteTheirOwnNumbers() throws {
        // the same sizes again and again, as a training loop makes them: each result right
        let a = Tensor(shape: [2, 2], data: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], data: [0, 1, 1, 0])
        for _ in 0..<50 {
            let p = try Tensor.matmul(a, b)
            #expect(p.data == [2, 1, 4, 3])
            let e = try Tensor.unary(.neg, p)
            #expect(e.data == [-2, -1, -4, -3])
            let s = try Tensor.binary(.sub, a, b)
            #expect(s.data == [1, 1, 2, 4])
        }
    }

    @Test func manyDeadTensorsKeepAtMostTheCapacity() throws {
        let base = Tensor(shape: [5], data: [1, 2, 3, 4, 5])
        do { _ = try (0..<100).map { _ in try Tensor.binary(.add, base, constant: 0) } }
        #expect(StoragePool.current.pointee.keptCount == StoragePool.capacity)
        // too large to keep: freed as before
        StoragePool.current.pointee.removeAll()
        let big = [Double](repeating: 1, count: StoragePool.maxCount + 1)
        do { _ = try Tensor.binary(.add, Tensor(shape: [big.count], data: big), constant: 0) }
        #expect(StoragePool.current.pointee.keptCount == 0)
        // results of a kept size take from the pool, then from new memory
        do { _ = try (0..<10).map { _ in try Tensor.binary(.add, base, constant: 0) } }
        #expect(StoragePool.current.pointee.keptCount == 10)
        let live = try (0..<20).map { _ in try Tensor.binary(.add, base, constant: 1) }
        #expect(StoragePool.current.pointee.keptCount == 0)
        #expect(live.allSatisfy { $0.data == [2, 3, 4, 5, 6] })
    }
}
