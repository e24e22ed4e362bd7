import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Guards the native stack by its remaining size, as Lua's `luaE_checkcstack` does: deep
/// recursion in the interpreter (calls, nested expressions, printing nested lists, compiling a
/// 40,000-term chain) ends in a clean error on any thread, whatever its stack size, instead of
/// a segmentation fault. Counts alone cannot do this: how much stack a level takes depends on
/// what it does and on the build.
public struct StackGuard {
    /// Keep this much stack free (a quarter of a small stack) for the error path, for C
    /// code (libm, printing) and for releasing what the failed work built.
    static let reserve = 16 << 20
    /// The lowest address the guard lets the stack reach (stacks grow down), 0 when unknown.
    let limit: UInt

    /// A guard for the calling thread.
    public init() {
        var attr = pthread_attr_t()
        var base: UnsafeMutableRawPointer? = nil
        var size = 0
        if let getattr = StackGuard.getattr, getattr(pthread_self(), &attr) == 0 {
            pthread_attr_getstack(&attr, &base, &size)
            pthread_attr_destroy(&attr)
        }
        if let base, size > 0 {
            limit = UInt(bitPattern: base) + UInt(Swift.min(StackGuard.reserve, size / 4))
        } else {
            limit = 0
        }
    }

    /// glibc's `pthread_getattr_np`, which Swift's Glibc module does not export (it needs
    /// _GNU_SOURCE); looked up once.
    typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
    static let getattr: GetAttr? = {
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        return unsafeBitCast(sym, to: GetAttr.self)
    }()

    /// True while the stack has room.
    @inline(__always)
    public func hasRoom() -> Bool {
        UInt(bp_frame_address()) > limit
    }
}
