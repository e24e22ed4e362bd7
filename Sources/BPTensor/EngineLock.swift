import CKernels

/// The one thread at a time that may run bp's engine, in a process.
///
/// Release builds of the engine's modules (BPTensor, BPNet, BPLang) count references without
/// atomic instructions (`-assume-single-threaded`, Package.swift): atomic counting was 14% of
/// the XOR lesson's time (docs/performance.md). An object two threads count at once could then
/// be freed while in use, and sessions share objects (the builtins, the shared operations), so
/// every entry of a `Session` takes this lock: sessions on several threads take turns, one
/// top-level statement at a time (`yield` between statements). Code that uses a session's
/// values outside its entries, while other threads run sessions, takes it too (`run`).
/// Debug builds (the tests) count atomically and take the same lock, so they check its use.
public enum EngineLock {
    /// Runs `body` holding the lock (taken again when the thread holds it already).
    @inline(__always)
    public static func run<R>(_ body: () throws -> R) rethrows -> R {
        bp_engine_lock()
        defer { bp_engine_unlock() }
        return try body()
    }

    /// Between two statements: lets a thread waiting for the lock run its statement first.
    /// Only the outermost holder hands it over (a session run from a builtin keeps it).
    @inline(__always)
    public static func yield() { _ = bp_engine_yield() }

    /// True when the calling thread holds the lock.
    public static var isHeld: Bool { bp_engine_depth() > 0 }
}
