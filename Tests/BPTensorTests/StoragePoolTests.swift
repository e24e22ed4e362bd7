import Testing
@testable import BPTensor

/// A dead tensor's storage is kept for the next result of its size (`StoragePool`): reusing
/// it must never change a value anything else still holds, and must start clean.
struct StoragePoolTests {
    /// Each test starts with its thread's pool empty (a test runs on one thread).
    init() { StoragePool.removeAll() }

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
        StoragePool.removeAll()
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

    /// A node freed with its graph (taken apart by `Tensor.release`, which holds its last
    /// reference) is kept whole, and the next result of its size is that object made anew:
    /// a constant with nothing of its old life (inputs, operation, label, version, depth,
    /// gradient, the gradient mark) and its own new numbers.
    @Test func aNodeFreedWithItsGraphIsMadeAnewAsTheNextResult() throws {
        let x = Tensor(shape: [3], data: [1, 2, 3], kind: .leaf)
        var inner: ObjectIdentifier? = nil
        do {
            // the inner node held by z alone (no local name that could outlive z)
            let z = try Tensor.binary(.mul, try Tensor.binary(.add, x, constant: 1, label: Label(name: "y")), constant: 2)
            do {
                let y = z.a!
                #expect(y.kind == .node && y.a === x && y.label != nil)
                y.grad = [5, 5, 5]
                y.markGradient(of: x)
                y.version = 3  // (as after in-place changes; a change itself would detach it)
                inner = ObjectIdentifier(y)
            }
            #expect(z.kind == .node)
        }
        // z died (its deinit), y2 with it through the release stack: y2 is kept whole
        #expect(StoragePool.current.pointee.keptTensorCount == 1)
        let r = try Tensor.binary(.sub, Tensor(shape: [3], data: [10, 20, 30]), constant: 1)
        #expect(StoragePool.current.pointee.keptTensorCount == 0)
        #expect(ObjectIdentifier(r) == inner, "the kept node was not made anew")
        #expect(r.data == [9, 19, 29])
        #expect(r.shape == [3])
        #expect(r.kind == .constant && r.op == nil && r.a == nil && r.b == nil && r.label == nil)
        #expect(r.version == 0 && r.depth == 0)
        #expect(r.grad == nil && !r.isGradient && r.gradientOf == nil)
        // and as an operand it records like any new result
        let w = try Tensor.binary(.add, r, x)
        #expect(w.kind == .node && w.a === r && w.b === x)
    }

    /// A kept node's elements shared with something still alive (a pending transpose of it,
    /// `.data` handed out) are copied before the new result is written.
    @Test func aKeptNodesSharedElementsAreNotOverwritten() throws {
        let x = Tensor(shape: [2, 2], data: [1, 2, 3, 4], kind: .leaf)
        var held: [Double] = []
        var transposed: Tensor? = nil
        do {
            let y = try Tensor.binary(.add, x, constant: 0)
            held = y.data
            transposed = Tensor.transposeMatrix(y)  // shares y's elements until written out
            _ = try Tensor.binary(.mul, y, constant: 2)
        }
        let r = try Tensor.binary(.mul, Tensor(shape: [2, 2], data: [1, 1, 1, 1]), constant: 7)
        #expect(r.data == [7, 7, 7, 7])
        #expect(held == [1, 2, 3, 4])
        #expect(transposed!.data == [1, 3, 2, 4])
    }

    /// `x.T` takes a kept tensor of as many elements: its shape and pending transpose are x's,
    /// its old elements are never read, and writing the transpose out fills them in place.
    @Test func aKeptTensorBecomesATranspose() throws {
        let leaf = Tensor(shape: [6], data: [1, 1, 1, 1, 1, 1], kind: .leaf)
        do {
            let z = try Tensor.binary(.mul, try Tensor.binary(.add, leaf, constant: 1), constant: 2)
            #expect(z.kind == .node)
        }
        #expect(StoragePool.current.pointee.keptTensorCount == 1)
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        do {
            let t = Tensor.transposeMatrix(x)
            #expect(StoragePool.current.pointee.keptTensorCount == 0)
            #expect(t.shape == [3, 2])
            #expect(t.pendingTranspose != nil)
            // a product reads it pending; its elements, written out, are x's transposed
            let p = try Tensor.matmul(t, Tensor(shape: [2, 1], data: [1, 10]))
            #expect(p.data == [41, 52, 63])
            #expect(t.data == [1, 4, 2, 5, 3, 6])
            #expect(x.data == [1, 2, 3, 4, 5, 6] && x.shape == [2, 3])
        }
        do {
            // dead with its transpose still pending: its storage is kept (the source let go)
            let u = Tensor.transposeMatrix(x)
            #expect(u.pendingTranspose != nil)
        }
        #expect(StoragePool.current.pointee.keptCount >= 1)
        let r = try Tensor.binary(.add, Tensor(shape: [2, 3], data: [0, 0, 0, 0, 0, 0]), constant: 5)
        #expect(r.data == [5, 5, 5, 5, 5, 5] && r.shape == [2, 3])
        #expect(x.data == [1, 2, 3, 4, 5, 6])
    }
}

/// `Tensor.dispose`: the interpreter's way to drop a value it holds (a variable's old value,
/// the right side of `W -= lr * dW`) so that a last reference is kept whole.
struct DisposeTests {
    init() { StoragePool.removeAll() }

    @Test func aLastReferenceIsKeptWholeWithItsGraphAndASharedOneIsNot() throws {
        let leaf = Tensor(shape: [3], data: [1, 2, 3], kind: .leaf)
        let y = try Tensor.binary(.mul, try Tensor.binary(.add, leaf, constant: 1), constant: 2)
        let id = ObjectIdentifier(y)
        var second: Tensor? = y
        // not the last reference: dropped, nothing kept, y intact
        Tensor.dispose(second.take()!)
        #expect(StoragePool.current.pointee.keptTensorCount == 0)
        #expect(y.kind == .node && y.data == [4, 6, 8])
        // the last one: y and its input node (held by y alone) kept whole, not freed
        Tensor.dispose(consume y)
        #expect(StoragePool.current.pointee.keptTensorCount == 2)
        let r = try Tensor.binary(.sub, Tensor(shape: [3], data: [10, 20, 30]), constant: 1)
        let s = try Tensor.binary(.sub, Tensor(shape: [3], data: [10, 20, 30]), constant: 2)
        #expect([ObjectIdentifier(r), ObjectIdentifier(s)].contains(id), "the disposed node was not made anew")
        #expect(r.data == [9, 19, 29] && s.data == [8, 18, 28])
        #expect(r.op == nil && s.op == nil && r.label == nil)
        #expect(leaf.data == [1, 2, 3] && leaf.kind == .leaf)
    }
}

/// A `ReleaseStack` that is done leaves its buffer to the thread's pool, and the next stack
/// takes it (a malloc and a free for every graph freed otherwise).
struct SpareStackTests {
    init() { StoragePool.removeAll() }

    /// A chain of n nodes held by its last one alone, the first reading `x`.
    private func chain(_ x: Tensor, _ n: Int) throws -> Tensor {
        var t = x
        for _ in 0..<n { t = try Tensor.binary(.add, t, constant: 1) }
        return t
    }

    @Test func aDoneStacksBufferIsKeptAndTakenByTheNext() throws {
        let x = Tensor(shape: [2], data: [1, 2], kind: .leaf)
        let before = StoragePool.current.pointee.spareStackCapacity
        do { _ = try chain(x, 5) }  // dies: its nodes taken apart on a stack
        let kept = StoragePool.current.pointee.spareStackCapacity
        #expect(kept >= 8)
        #expect(before == 0 || kept == before)
        // a longer chain grows the stack it took: the bigger buffer is kept
        do { _ = try chain(x, 5000) }
        #expect(StoragePool.current.pointee.spareStackCapacity >= kept)
        #expect(x.data == [1, 2])
    }
}

/// A kept tensor's shape is changed in place for the result that takes it (`Tensor.make`:
/// a new shape array was an allocation).
struct KeptShapeTests {
    init() { StoragePool.removeAll() }

    @Test func aProductOnAKeptTensorOfAnotherShapeHasItsOwnShape() throws {
        let leaf = Tensor(shape: [1, 4], data: [1, 2, 3, 4], kind: .leaf)
        // a (1, 4) node kept whole; its shape array shared with nothing else
        do {
            let z = try Tensor.binary(.mul, try Tensor.binary(.add, leaf, constant: 1), constant: 2)
            #expect(z.kind == .node)
        }
        #expect(StoragePool.current.pointee.keptTensorCount == 1)
        let a = Tensor(shape: [4, 2], data: [1, 0, 0, 1, 1, 1, 2, 0])
        let p = try Tensor.matmul(a, Tensor(shape: [2, 1], data: [3, 5]))
        #expect(StoragePool.current.pointee.keptTensorCount == 0)
        #expect(p.shape == [4, 1] && p.data == [3, 5, 8, 6])
        // a result given another tensor's shape shares its array: changed in place later, the
        // other keeps its own
        let q = try Tensor.binary(.add, leaf, constant: 0)
        #expect(q.shape == [1, 4])
        do { _ = try Tensor.binary(.mul, q, constant: 1) }
        _ = consume q
        let r = try Tensor.matmul(a, Tensor(shape: [2, 1], data: [1, 1]))
        #expect(r.shape == [4, 1] && r.data == [1, 1, 2, 2])
        #expect(leaf.shape == [1, 4])
    }
}
