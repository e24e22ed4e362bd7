import Testing
@testable import BPTensor

/// `x.T` of a matrix is written out only when read: a product multiplies by the pending
/// transpose in place, with the numbers of the written-out one.
struct TransposeTests {
    let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])

    @Test func aProductReadsThePendingTranspose() throws {
        let t = Tensor.permute(x, [1, 0])
        #expect(t.pendingTranspose != nil)
        #expect(t.count == 6 && t.shape == [3, 2])
        let y = Tensor(shape: [2, 2], data: [1, -1, 0.5, 2])
        let p = try Tensor.matmul(t, y)
        #expect(t.pendingTranspose != nil, "the product did not write the transpose out")
        // the same product with the transpose written out first
        let written = Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6])
        #expect(p.data == (try Tensor.matmul(written, y)).data)
        // as the right operand of two columns: written out once (the small kernel would copy
        // it upright for every product), with the same numbers
        let right = Tensor.permute(Tensor(shape: [2, 3], data: [1, 0, 2, 0, 1, 3]), [1, 0])
        let q = try Tensor.matmul(Tensor(shape: [1, 3], data: [1, 2, 3]), right)
        #expect(q.data == [7, 11])
        #expect(right.pendingTranspose == nil)
        // as a right operand of one column: read in place
        let column = Tensor.permute(Tensor(shape: [1, 3], data: [1, 2, 3]), [1, 0])
        #expect(try Tensor.matmul(Tensor(shape: [1, 3], data: [1, 1, 1]), column).data == [6])
        #expect(column.pendingTranspose != nil)
    }

    @Test func readingWritesItOutOnce() {
        let t = Tensor.permute(x, [1, 0])
        #expect(t.data == [1, 4, 2, 5, 3, 6])
        #expect(t.pendingTranspose == nil)
        #expect(t.data == [1, 4, 2, 5, 3, 6])
    }

    @Test func aLaterChangeToTheSourceDoesNotReachIt() {
        let s = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
        let t = Tensor.permute(s, [1, 0])
        s.update { d in d[0] = 100 }
        #expect(t.data == [1, 3, 2, 4])
        // nor a change to the transpose the source
        let u = Tensor.permute(s, [1, 0])
        u.update { d in d[1] = -7 }
        #expect(s.data == [100, 2, 3, 4] && u.data == [100, -7, 2, 4])
    }
}
