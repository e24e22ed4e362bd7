import CKernels
import Foundation
import Testing
@testable import BPTensor

/// The C kernels (Sources/CKernels) against what they replace: glibc's `exp` bit for bit,
/// and their AVX2 lanes against their plain loops (and both against a plain Swift loop in
/// the same summation order). On a CPU without AVX2 and FMA both runs take the plain loops.
/// The suite is serialized: it switches the process-wide kernel width (the numbers are the
/// same either way, so other suites running meanwhile are not disturbed).
@Suite(.serialized) struct KernelTests {
    /// xorshift64: the same arguments every run
    struct Numbers {
        var s: UInt64 = 88172645463325252
        mutating func next() -> UInt64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s }
        mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
            lo + Double(next() >> 11) / 9007199254740992.0 * (hi - lo)
        }
        mutating func anyBits() -> Double { Double(bitPattern: next()) }
    }

    static let edges: [Double] = [0, -0.0, 0x1p-60, -0x1p-60, 0x1p-54, 0x1.fffffffffffffp-55, 1, -1, 511.99, 512, -512,
                                  709.78, 709.79, 710, -708.4, -708.5, -745.1, -745.2, -746, .infinity, -.infinity, .nan,
                                  .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]

    /// Arguments over the ranges that matter (the whole range of exp, the usual one, tiny
    /// values, any bit pattern) with the edges at every lane position.
    func arguments(_ count: Int) -> [Double] {
        var r = Numbers()
        var xs: [Double] = []
        for i in 0..<count {
            switch i % 4 {
            case 0: xs.append(r.uniform(-745, 715))
            case 1: xs.append(r.uniform(-20, 20))
            case 2: xs.append(r.anyBits())
            default: xs.append(r.uniform(-1e-3, 1e-3))
            }
        }
        for (i, e) in Self.edges.enumerated() { xs.insert(e, at: (i * 7) % xs.count) }
        return xs
    }

    func same(_ a: [Double], _ b: [Double]) -> Int? {
        a.indices.first { a[$0].bitPattern != b[$0].bitPattern && !(a[$0].isNaN && b[$0].isNaN) }
    }

    func withWidth<R>(_ w: Int32, _ body: () throws -> R) rethrows -> R {
        defer { bp_kernels_set_vector(8) }
        bp_kernels_set_vector(w)
        return try body()
    }

    @Test func theVectorPathIsTakenWhereTheCPUHasIt() throws {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpu.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        let avx2: Int32 = flags.contains("avx2") && flags.contains("fma") ? 4 : 1
        let widest: Int32 = avx2 == 4 && flags.contains("avx512f") ? 8 : avx2
        #expect(bp_kernels_set_vector(8) == widest)
        #expect(bp_kernels_set_vector(4) == avx2)
        #expect(bp_kernels_set_vector(1) == 1)
        bp_kernels_set_vector(8)
    }

    @Test func expIsGlibcBitForBit() {
        let xs = arguments(1 << 20)
        let want = xs.map { Foundation.exp($0) }
        for w: Int32 in [8, 4, 1] {
            var got = [Double](repeating: 0, count: xs.count)
            withWidth(w) { bp_exp(xs, &got, xs.count) }
            let bad = same(got, want)
            #expect(bad == nil, "width \(w): exp(\(bad.map { xs[$0] } ?? 0))")
        }
    }

    @Test func sigmoidIsTheScalarFormula() {
        let xs = arguments(1 << 18)
        let want = xs.map { UnaryFunction.sigmoid.apply($0) }
        for w: Int32 in [8, 4, 1] {
            var got = [Double](repeating: 0, count: xs.count)
            withWidth(w) { bp_sigmoid(xs, &got, xs.count) }
            let bad = same(got, want)
            #expect(bad == nil, "width \(w): sigmoid(\(bad.map { xs[$0] } ?? 0))")
        }
        // in place, as the kernel allows
        var inPlace = xs
        inPlace.withUnsafeMutableBufferPointer { bp_sigmoid($0.baseAddress, $0.baseAddress, $0.count) }
        #expect(same(inPlace, want) == nil)
    }

    /// The product in the documented order: each element's k products summed from +0 in
    /// order p = 0, 1, ..., a zero of A skipped.
    func reference(_ a: [Double], _ b: [Double], _ n: Int, _ k: Int, _ m: Int, transA: Bool) -> [Double] {
        var c = [Double](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<m {
                var s = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * n + i] : a[i * k + p]
                    if av != 0 { s += av * b[p * m + j] }
                }
                c[i * m + j] = s
            }
        }
        return c
    }

    @Test func smallProductsKeepTheirSummationOrder() throws {
        var r = Numbers()
        let shapes = [(1, 1, 1), (3, 5, 1), (9, 7, 1), (17, 300, 1), (300, 20, 1), (300, 2, 20), (2, 300, 20),
                      (5, 3, 16), (7, 4, 21), (4, 9, 33), (300, 1, 20), (13, 11, 3)]
        for (n, k, m) in shapes {
            for transA in [false, true] {
                // values of very different sizes, so that another order would round differently;
                // some zeros
                let a = (0..<(n * k)).map { _ in r.next() % 5 == 0 ? 0 : r.uniform(-1, 1) * Foundation.exp(r.uniform(-20, 20)) }
                let b = (0..<(k * m)).map { _ in r.uniform(-1, 1) * Foundation.exp(r.uniform(-20, 20)) }
                let want = reference(a, b, n, k, m, transA: transA)
                for w: Int32 in [4, 1] {
                    let got = try withWidth(w) { try Tensor.mm(a, b, n, k, m, transA: transA, transB: false) }
                    #expect(same(got, want) == nil, "(\(n), \(k), \(m)) transA \(transA) width \(w)")
                }
            }
        }
    }

    @Test func aMatrixWithInfinityStillSkipsAsZeros() throws {
        // (5, 2) @ (2, 9): B's first row has an inf; rows of A with a 0 there skip it
        let a: [Double] = [0, 1, 2, 0, 0, 3, 1, 1, 0, 0]
        var b = [Double](repeating: 1, count: 18)
        b[4] = .infinity
        let want = reference(a, b, 5, 2, 9, transA: false)
        #expect(want[4] == 1 && want[9 + 4] == .infinity && want[36 + 4] == 0)
        for w: Int32 in [4, 1] {
            let got = try withWidth(w) { try Tensor.mm(a, b, 5, 2, 9, transA: false, transB: false) }
            #expect(same(got, want) == nil, "width \(w): \(got)")
        }
    }

    @Test func aColumnWithInfinityStillSkipsAsZeros() throws {
        // 0 * inf is nan; a zero of A is skipped, as in the row kernel
        let a: [Double] = [0, 1, 2, 0, 0, 3, 1, 1]  // (4, 2)
        let b: [Double] = [.infinity, 1]
        for w: Int32 in [4, 1] {
            let got = try withWidth(w) { try Tensor.mm(a, b, 4, 2, 1, transA: false, transB: false) }
            #expect(got[0] == 1 && got[1] == .infinity && got[2] == 3 && got[3] == .infinity, "width \(w): \(got)")
        }
    }

    @Test func transposeAndFiniteCheck() {
        var r = Numbers()
        for (n, m) in [(1, 1), (4, 4), (300, 20), (20, 300), (7, 9), (5, 3), (2, 300)] {
            let x = (0..<(n * m)).map { _ in r.uniform(-1, 1) }
            var want = [Double](repeating: 0, count: n * m)
            for i in 0..<n { for j in 0..<m { want[j * n + i] = x[i * m + j] } }
            for w: Int32 in [4, 1] {
                let got = withWidth(w) { Tensor.transposed(x, n, m) }
                #expect(got == want, "(\(n), \(m)) width \(w)")
            }
        }
        for w: Int32 in [4, 1] {
            withWidth(w) {
                // up to 8: two plain sums; past 16: the four sums side by side, then the rest
                // 4 and 1 at a time
                #expect(bp_all_finite([], 0) == 1)
                for count in [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 21, 35] {
                    for bad in [Double.nan, .infinity, -.infinity] {
                        for at in 0..<count {
                            var x = [Double](repeating: 1.5, count: count)
                            #expect(bp_all_finite(x, count) == 1)
                            x[at] = bad
                            #expect(bp_all_finite(x, count) == 0, "\(bad) at \(at) of \(count), width \(w)")
                        }
                    }
                }
            }
        }
    }

    @Test func elementOperationsAreTheIEEEOperations() {
        var r = Numbers()
        let ops: [(Int32, (Double, Double) -> Double)] = [(Int32(BP_ADD), (+)), (Int32(BP_SUB), (-)), (Int32(BP_MUL), (*)), (Int32(BP_DIV), (/))]
        for n in [1, 3, 4, 7, 64, 301] {
            let x = (0..<n).map { i in i % 5 == 0 ? Self.edges[i % Self.edges.count] : r.uniform(-3, 3) }
            let y = (0..<n).map { _ in r.uniform(-3, 3) }
            let c = r.uniform(-2, 2)
            for (code, f) in ops {
                for w: Int32 in [4, 1] {
                    withWidth(w) {
                        var o = [Double](repeating: 0, count: n)
                        bp_zip(code, x, y, &o, n)
                        #expect(same(o, zip(x, y).map(f)) == nil, "zip \(code) n \(n) width \(w)")
                        bp_zip_number(code, x, c, 0, &o, n)
                        #expect(same(o, x.map { f($0, c) }) == nil, "number right \(code) n \(n) width \(w)")
                        bp_zip_number(code, x, c, 1, &o, n)
                        #expect(same(o, x.map { f(c, $0) }) == nil, "number left \(code) n \(n) width \(w)")
                    }
                }
            }
        }
        // a row down a matrix, either side, and the sum of the rows in NumPy's order
        for (n, m) in [(1, 1), (3, 5), (300, 20), (4, 9), (2, 16), (5, 37)] {
            let x = (0..<(n * m)).map { _ in r.uniform(-1, 1) * Foundation.exp(r.uniform(-20, 20)) }
            let row = (0..<m).map { _ in r.uniform(-1, 1) }
            for (code, f) in ops {
                for w: Int32 in [4, 1] {
                    withWidth(w) {
                        var o = [Double](repeating: 0, count: n * m)
                        bp_zip_rows(code, x, row, 0, &o, n, m)
                        #expect(same(o, x.indices.map { f(x[$0], row[$0 % m]) }) == nil, "rows \(code) (\(n), \(m)) width \(w)")
                        bp_zip_rows(code, x, row, 1, &o, n, m)
                        #expect(same(o, x.indices.map { f(row[$0 % m], x[$0]) }) == nil, "rows first \(code) (\(n), \(m)) width \(w)")
                    }
                }
            }
            var want = [Double](repeating: 0, count: m)
            for i in 0..<n { for j in 0..<m { want[j] += x[i * m + j] } }
            // added into a gradient that already holds something, in the same order
            var into = want.map { $0 * 0.5 - 1 }
            for i in 0..<n { for j in 0..<m { into[j] += x[i * m + j] } }
            for w: Int32 in [4, 1] {
                var d = want.map { $0 * 0.5 - 1 }
                withWidth(w) { bp_add_rows_into(&d, x, n, m) }
                #expect(same(d, into) == nil, "add rows into (\(n), \(m)) width \(w)")
            }
            for w: Int32 in [4, 1] {
                var o = [Double](repeating: 0, count: m)
                withWidth(w) { bp_sum_rows(x, &o, n, m) }
                #expect(same(o, want) == nil, "sum rows (\(n), \(m)) width \(w)")
            }
        }
    }

    @Test func gradientKernels() {
        var r = Numbers()
        for n in [1, 3, 4, 9, 300] {
            let g = (0..<n).map { _ in r.uniform(-2, 2) }
            let y = (0..<n).map { _ in r.uniform(0, 1) }
            for w: Int32 in [4, 1] {
                withWidth(w) {
                    var o = [Double](repeating: 0, count: n)
                    bp_sigmoid_grad(g, y, &o, n)
                    #expect(same(o, g.indices.map { g[$0] * (y[$0] * (1 - y[$0])) }) == nil, "sigmoid grad n \(n) width \(w)")
                    var d = y
                    bp_add_into(&d, g, n)
                    #expect(same(d, g.indices.map { y[$0] + g[$0] }) == nil, "add into n \(n) width \(w)")
                    for at in 0..<n {
                        var z = g
                        #expect(bp_has_negative_zero(z, n) == 0)
                        z[at] = -0.0
                        #expect(bp_has_negative_zero(z, n) == 1, "-0 at \(at) of \(n) width \(w)")
                        z[at] = 0.0
                        #expect(bp_has_negative_zero(z, n) == 0)
                    }
                }
            }
        }
    }

    /// After `bp_keep_freed_memory` (what bp does first), memory freed at the top of a
    /// thread's heap stays mapped: making it again and writing it costs no page faults.
    /// (glibc's default gave it back above 128 KiB, and a run of the spiral lesson with
    /// `train` took 70,000 page faults instead of 800, depending on the heap's layout.)
    @Test(.disabled(if: ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil,
                    "under scripts/asan: AddressSanitizer replaces glibc's malloc"))
    func freedMemoryStaysMapped() {
        bp_keep_freed_memory()
        func faults() -> Int {
            var u = rusage()
            getrusage(__rusage_who_t(1), &u)  // RUSAGE_THREAD (a GNU name Swift does not import)
            return u.ru_minflt
        }
        let size = 100 * 1024, count = 40
        // 4 MB in blocks below the mmap threshold: from the thread's heap, written once
        var blocks = (0..<count).map { _ in malloc(size)! }
        for b in blocks { memset(b, 1, size) }
        for b in blocks.reversed() { free(b) }  // back into the top of the heap
        let before = faults()
        blocks = (0..<count).map { _ in malloc(size)! }
        for b in blocks { memset(b, 2, size) }
        let after = faults()
        for b in blocks { free(b) }
        #expect(after - before < 200, "\(after - before) page faults writing memory made again")
    }
}
