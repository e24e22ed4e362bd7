import Testing
@testable import BPTensor

/// The raw stack a dying graph is taken apart with (`Tensor.release`).
struct ReleaseStackTests {
    @Test func popsInReverseAndReleasesWhatIsLeft() {
        weak var leftOver: Tensor?
        do {
            var stack = ReleaseStack()
            let ts = (0..<100).map { Tensor(scalar: Double($0)) }
            for t in ts { stack.push(t) }  // grows past its first 8 places several times
            for k in stride(from: 99, through: 50, by: -1) {
                #expect(stack.pop()?.scalar == Double(k))
            }
            leftOver = ts[10]
            _ = consume ts
            #expect(leftOver != nil)  // still held by the stack
        }
        #expect(leftOver == nil)  // the stack's end released the 50 it still held
    }

    @Test func aWideDeepGraphIsFreedWithoutRecursion() throws {
        // a balanced tree of sums over 2^16 leaves, then a chain 200,000 long on top: the
        // stack holds a whole level of the tree at once
        var level = (0..<(1 << 16)).map { Tensor(scalar: Double($0), kind: .leaf) }
        while level.count > 1 {
            level = try stride(from: 0, to: level.count, by: 2).map { try Tensor.binary(.add, level[$0], level[$0 + 1]) }
        }
        var top = level[0]
        level = []
        for _ in 0..<200_000 { top = try Tensor.binary(.mul, top, constant: 1.0) }
        weak var watch = top
        top = Tensor(scalar: 0)
        #expect(watch == nil)
    }
}
