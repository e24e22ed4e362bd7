#if canImport(Glibc)
import Glibc
#endif

/// The engine state of one session, reachable from the tensor kernels of the thread that
/// runs it (PyTorch keeps its grad mode per thread the same way): a session installs its
/// engine with `makeCurrent` when it starts running code.
public final class Engine {
    /// Non-zero when Ctrl-C was pressed (set by a SIGINT handler); long kernels poll it.
    public let interruptFlag: UnsafeMutablePointer<Int32>

    private let ownsFlag: Bool

    /// An engine polling the flag a signal handler sets (the flag outlives every engine).
    public init(interruptFlag: UnsafeMutablePointer<Int32>) {
        self.interruptFlag = interruptFlag
        ownsFlag = false
    }

    /// An engine with a flag of its own (tests, front ends without a signal handler).
    public init() {
        interruptFlag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        interruptFlag.pointee = 0
        ownsFlag = true
    }

    deinit {
        if ownsFlag { interruptFlag.deallocate() }
    }

    /// The thread-local slot; the key itself is created once and never changes.
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// The engine of the session running on this thread, if any.
    public static var current: Engine? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<Engine>.fromOpaque(p).takeUnretainedValue()
    }

    /// Makes this the engine of the calling thread (the thread keeps a reference to it).
    public func makeCurrent() {
        let old = pthread_getspecific(Engine.key)
        if old == Unmanaged.passUnretained(self).toOpaque() { return }
        pthread_setspecific(Engine.key, Unmanaged.passRetained(self).toOpaque())
        if let old { Unmanaged<Engine>.fromOpaque(old).release() }
    }

    /// Work done between two looks at the interrupt flag in long kernels (element operations).
    public static let pollInterval = 1 << 22

    /// Throws `TensorError.interrupted` when Ctrl-C was pressed. Kernels call it between
    /// blocks of work and only before they publish a result, so no tensor is left half-written.
    @inline(__always)
    public static func poll() throws {
        if let e = current, e.interruptFlag.pointee != 0 { throw TensorError.interrupted }
    }
}
