import Testing
@testable import BPTensor

/// `Tensor.updateInPlace` (`W -= lr * dW`) writes the elements where they are, through
/// `Tensor.update` and `Storage.withValues` (not `data`'s modify accessor, which allocated its
/// coroutine frame):
/// still copy-on-write, so whatever shares the old array keeps the old numbers.
struct UpdateInPlaceTests {
    @Test func anUpdateLeavesWhatSharesTheOldElementsAlone() throws {
        let w = Tensor(shape: [2, 2], data: [1, 2, 3, 4], kind: .leaf)
        let t = Tensor.transposeMatrix(w)  // shares w's array until written out
        let held = w.data
        let before = w.version
        #expect(Tensor.updateInPlace(w, .sub, Tensor(shape: [2, 2], data: [1, 1, 1, 1])))
        #expect(w.data == [0, 1, 2, 3])
        #expect(w.version == before &+ 1)
        #expect(t.data == [1, 3, 2, 4])
        #expect(held == [1, 2, 3, 4])
        // a number, and a 0-d tensor updated
        #expect(Tensor.updateInPlace(w, .mul, Tensor(scalar: 2)))
        #expect(w.data == [0, 2, 4, 6])
        let s = Tensor(scalar: 5, kind: .leaf)
        #expect(Tensor.updateInPlace(s, .add, Tensor(scalar: 0.5)))
        #expect(s.scalar == 5.5)
    }
}
