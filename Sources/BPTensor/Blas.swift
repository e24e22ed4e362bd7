#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS for large matrix products, loaded on first use with `dlopen` (Debian's
/// `libopenblas0`, `scripts/setup` installs it). Linking it instead made every start-up
/// 2 ms slower (its constructor sizes buffers and starts its threads), which the start-up
/// goal cannot afford; a product large enough to need it takes far longer than the load.
/// Without the library bp's own kernel does every product. OpenBLAS reads
/// `OPENBLAS_NUM_THREADS` itself (bench sets 1, as for NumPy).
enum Blas {
    /// cblas_dgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
    typealias Dgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Double,
                                      UnsafePointer<Double>, Int32, UnsafePointer<Double>, Int32,
                                      Double, UnsafeMutablePointer<Double>, Int32) -> Void

    /// Products with at least this many multiply-adds go to BLAS (64×64×64): below it the
    /// call and OpenBLAS's packing cost about what they save.
    static let minWork = 1 << 18

    /// Multiply-adds between two looks at the interrupt flag (about 8 ms on one core).
    static let workPerPoll = 1 << 28

    /// `cblas_dgemm` of OpenBLAS, or nil when it is not installed (or BP_NO_BLAS is set).
    static let dgemm: Dgemm? = {
        if getenv("BP_NO_BLAS") != nil { return nil }
        // the kernel for this CPU, unless the user chose one: Debian's OpenBLAS 0.3.21 does
        // not know recent Xeons and falls back to its Prescott (SSE3) kernels, 7× slower
        // (1024×1024: 0.20 s against 0.029 s with SkylakeX's); set only while it loads
        let choose = getenv("OPENBLAS_CORETYPE") == nil
        if choose, let core = coreType() { setenv("OPENBLAS_CORETYPE", core, 1) }
        defer { if choose { unsetenv("OPENBLAS_CORETYPE") } }
        for name in ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"] {
            guard let h = dlopen(name, RTLD_LAZY | RTLD_LOCAL) else { continue }
            if let f = dlsym(h, "cblas_dgemm") { return unsafeBitCast(f, to: Dgemm.self) }
            dlclose(h)
        }
        return nil
    }()

    /// OpenBLAS's name for the x86-64 kernels this CPU (and its OS) can run, from the flags
    /// Linux reports (it leaves out what the OS does not enable); nil elsewhere.
    static func coreType() -> String? {
        #if os(Linux) && arch(x86_64)
        guard let f = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var cap = 0
        defer { free(line) }
        while getline(&line, &cap, f) > 0 {
            guard let line, strncmp(line, "flags", 5) == 0 else { continue }
            let flags = Set(String(cString: line).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
            if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy({ flags.contains(Substring($0)) }) {
                return "SkylakeX"
            }
            if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
            return nil
        }
        #endif
        return nil
    }

    static let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112

    /// C(n,m) = op(A) * op(B) (C uninitialised) in blocks, polling between them: blocks of the summed axis
    /// (at least 256 long, each adds a partial product to all of C), and blocks of rows of C
    /// only when C is so large that one such block is too much work. Blocks of rows alone
    /// made OpenBLAS pack all of B again for each (1024×1024 in 8 blocks: 46 ms against 31
    /// in one call); blocks of the summed axis pack each part of A and B once (31 ms).
    /// Every size fits an Int32: no size exceeds `Limits.maxElements` (2^28 by default).
    static func product(_ f: Dgemm, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                        _ c: UnsafeMutablePointer<Double>, _ n: Int, _ k: Int, _ m: Int,
                        transA: Bool, transB: Bool) throws {
        guard n <= Int(Int32.max), k <= Int(Int32.max), m <= Int(Int32.max) else {
            return try Tensor.mmSmall(a, b, c, n, k, m, transA: transA, transB: transB)
        }
        let minDepth = 256
        let rows = n * m * minDepth <= 2 * workPerPoll ? n : Swift.max(1, workPerPoll / (minDepth * m))
        let depth = Swift.min(k, Swift.max(minDepth, workPerPoll / Swift.max(1, rows * m)) / minDepth * minDepth)
        let lda = Int32(transA ? n : k), ldb = Int32(transB ? k : m)
        var i = 0
        while i < n {
            let r = Swift.min(rows, n - i)
            var p = 0
            while p < k {
                try Engine.poll()
                let d = Swift.min(depth, k - p)
                // op(A)(i, p) is at p * n + i when A is transposed, else i * k + p;
                // op(B)(p, 0) at p when B is transposed, else p * m
                f(rowMajor, transA ? trans : noTrans, transB ? trans : noTrans,
                  Int32(r), Int32(m), Int32(d), 1.0,
                  a + (transA ? p * n + i : i * k + p), lda,
                  b + (transB ? p : p * m), ldb,
                  p == 0 ? 0.0 : 1.0, c + i * m, Int32(m))
                p += d
            }
            i += r
        }
    }
}
