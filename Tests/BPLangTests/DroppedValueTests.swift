import BPTestSupport
import Testing
@testable import BPLang
@testable import BPTensor

/// The values the interpreter drops — a variable's old value when it is bound anew, the
/// right side of `W -= lr * dW` once applied — go through `Tensor.dispose`: when that was
/// their last reference they are kept whole for the next result of their size (an XOR epoch
/// freed four tensor objects through `deinit` and allocated four anew).
struct DroppedValueTests {
    @Test func aRebindingKeepsTheOldValueWhole() {
        let c = CapturedSession()
        #expect(c.run("a = [1, 2, 3]\nd = a * 2") == .ok)
        StoragePool.removeAll()
        // `a * 3` is made first (the pool is empty), then the old d, held by d alone, is kept
        #expect(c.run("d = a * 3") == .ok)
        #expect(StoragePool.current.pointee.keptTensorCount == 1)
        // a value another name still holds is not
        #expect(c.run("e = d\nd = a * 4") == .ok)
        #expect(StoragePool.current.pointee.keptTensorCount == 0)
        #expect(c.reply("print(d, e)") == "[ 4  8 12] [3 6 9]\n")
    }

    @Test func theRightSideOfAnUpdateIsKeptWholeOnceApplied() {
        let c = CapturedSession()
        #expect(c.run("W = [1.0, 2.0]\ndW = [0.5, 0.5]") == .ok)
        StoragePool.removeAll()
        #expect(c.run("W -= 2 * dW") == .ok)
        #expect(StoragePool.current.pointee.keptTensorCount == 1)
        #expect(c.reply("print(W, dW)") == "[0 1] [0.5000 0.5000]\n")
    }
}
