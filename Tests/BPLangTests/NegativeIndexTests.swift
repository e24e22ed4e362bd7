import Testing
@testable import BPLang
import BPTestSupport

/// Negative positions count from the end; one past either end is out of range.
@Suite struct NegativeIndexTests {
    @Test func positionsFromEitherEnd() {
        #expect(NegativeIndex.resolve(0, count: 3) == 0)
        #expect(NegativeIndex.resolve(2, count: 3) == 2)
        #expect(NegativeIndex.resolve(-1, count: 3) == 2)
        #expect(NegativeIndex.resolve(-3, count: 3) == 0)
        #expect(NegativeIndex.resolve(3, count: 3) == nil)
        #expect(NegativeIndex.resolve(-4, count: 3) == nil)
        #expect(NegativeIndex.resolve(0, count: 0) == nil)
        #expect(NegativeIndex.resolve(Int.min, count: 3) == nil)
    }

    /// Lists, strings, ranges and axes all read them so.
    @Test func everySequenceAndAxisUsesThem() {
        #expect(output("print([1, 2, 3][-1], \"abc\"[-3], range(5)[-2], [\"a\", \"b\"][-2])") == "3 a 3 a\n")
        #expect(output("x = [\"a\", \"b\"]\nx[-1] = \"c\"\nprint(x)") == "[\"a\", \"c\"]\n")
        #expect(output("print(sum([[1, 2], [3, 4]], axis=-1))") == "[3 7]\n")
        #expect(run("[\"a\", \"b\"][-3]").err.contains("index -3 is out of range for a list of 2 elements"))
        #expect(run("range(2)[2]").err.contains("index 2 is out of range for a range of 2 numbers"))
        #expect(run("sum([1, 2], axis=-2)").err.contains("axis -2 is out of range for a tensor with 1 dimension"))
    }
}
