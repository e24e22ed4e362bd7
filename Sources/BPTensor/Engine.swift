import CKernels
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// All mutable state of the engine for one session — grad mode, the random generator, the
/// one-time notes, the interrupt flag — reachable from the tensor kernels of the thread that
/// runs it, as Lua keeps its state in a `lua_State` and PyTorch its grad mode per thread.
/// A session installs its engine with `makeCurrent` when it starts running code; a thread
/// that never did gets an engine of its own on first use. Nothing in the engine is global:
/// two sessions in one process never see each other.
public final class Engine {
    /// Non-zero when Ctrl-C was pressed (set by a SIGINT handler); long kernels poll it.
    public let interruptFlag: UnsafeMutablePointer<Int32>
    private let ownsFlag: Bool

    /// False inside `nograd { }`: operations compute values only.
    public var gradEnabled: Bool {
        get { state.pointee.gradEnabled }
        set { state.pointee.gradEnabled = newValue }
    }

    /// What every recorded operation and every poll reads, in memory of its own: the thread's
    /// slot points at it too, so reading it takes no reference to the engine (retaining the
    /// engine for that was an atomic pair on every operation).
    struct State {
        var gradEnabled = true
        let interruptFlag: UnsafeMutablePointer<Int32>
    }
    private let state: UnsafeMutablePointer<State>
    /// The generator every random builtin and data set draws from (NumPy's legacy one).
    public var random = MersenneTwister(seed: 5489)
    /// Chains of recorded operations this long trigger a one-time note.
    public static let longChain: Int32 = 1_000_000
    var warnedLongChain = false
    /// Receives the one-time long-chain note (standard error by default).
    public var note: (String) -> Void = { msg in
        FileHandle.standardError.write((msg + "\n").data(using: .utf8)!)
    }

    /// An engine polling the flag a signal handler sets (the flag outlives every engine).
    public init(interruptFlag: UnsafeMutablePointer<Int32>) {
        self.interruptFlag = interruptFlag
        ownsFlag = false
        state = .allocate(capacity: 1)
        state.initialize(to: State(interruptFlag: interruptFlag))
    }

    /// An engine with a flag of its own (tests, front ends without a signal handler).
    public init() {
        interruptFlag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        interruptFlag.pointee = 0
        ownsFlag = true
        state = .allocate(capacity: 1)
        state.initialize(to: State(interruptFlag: interruptFlag))
    }

    deinit {
        if ownsFlag { interruptFlag.deallocate() }
        state.deallocate()
    }

    /// The key whose destructor lets go of a thread's engine when the thread ends; the engine
    /// itself is read from C's thread-local slot (`bp_engine_slot`, see CKernels.h).
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            // the state slot first: it points into the engine released here
            bp_set_engine_state_slot(nil)
            bp_set_engine_slot(nil)
            // the session may run on another thread by now: let go holding the engine lock
            if let p { EngineLock.run { Unmanaged<Engine>.fromOpaque(p).release() } }
        }
        return k
    }()

    /// The engine of the session running on this thread (one made for the thread if none).
    public static var current: Engine {
        @inline(__always) get {
            if let p = bp_engine_slot() { return Unmanaged<Engine>.fromOpaque(p).takeUnretainedValue() }
            let e = Engine()
            e.makeCurrent()
            return e
        }
    }

    /// The current engine's `State`.
    private static var currentState: UnsafeMutablePointer<State> {
        @inline(__always) get {
            if let p = bp_engine_state_slot() { return p.assumingMemoryBound(to: State.self) }
            return current.state
        }
    }

    /// Grad mode of the current engine, read without taking a reference (every recorded
    /// operation asks).
    public static var gradEnabledNow: Bool {
        @inline(__always) get { currentState.pointee.gradEnabled }
    }

    /// Makes this the engine of the calling thread (the thread keeps a reference to it).
    public func makeCurrent() {
        let old = bp_engine_slot()
        if old == Unmanaged.passUnretained(self).toOpaque() { return }
        let mine = Unmanaged.passRetained(self).toOpaque()
        bp_set_engine_state_slot(UnsafeMutableRawPointer(state))
        bp_set_engine_slot(mine)
        pthread_setspecific(Engine.key, mine)  // so that the thread's end lets go of it
        if let old { Unmanaged<Engine>.fromOpaque(old).release() }
    }

    /// Runs `body` with grad mode set to `enabled`, restoring it afterwards.
    public func withGrad<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
        let saved = gradEnabled
        gradEnabled = enabled
        defer { gradEnabled = saved }
        return try body()
    }

    /// Work done between two looks at the interrupt flag in long kernels (element operations).
    public static let pollInterval = 1 << 22

    /// Throws `TensorError.interrupted` when Ctrl-C was pressed. Kernels call it between
    /// blocks of work and only before they publish a result, so no tensor is left half-written.
    @inline(__always)
    public static func poll() throws {
        if currentState.pointee.interruptFlag.pointee != 0 { throw TensorError.interrupted }
    }

    /// Attaches `op` and its inputs to a freshly computed result when grad mode is on and an
    /// input requires a gradient; otherwise the result stays a constant (a value computed
    /// from a gradient snapshot remembers whose it is, so `W = W - 0.1 * W.grad` is
    /// recognised as the training-update pattern).
    @inline(__always)
    static func record(_ out: Tensor, _ op: consuming Operation, _ a: Tensor, _ b: Tensor? = nil, extra: [Tensor] = [],
                       label: Label?) {
        guard a.requiresGrad || (b?.requiresGrad ?? false) || extra.contains(where: \.requiresGrad), gradEnabledNow else {
            if a.isGradient || (b?.isGradient ?? false) {
                out.markGradient(ofSerial: a.gradientOf ?? b?.gradientOf)
            }
            return
        }
        out.attach(op, a, b, label: label)
        var d = max(a.depth, b?.depth ?? 0)
        for x in extra { d = max(d, x.depth) }
        d += 1
        out.depth = d
        if d == longChain, case let engine = current, !engine.warnedLongChain {
            engine.warnedLongChain = true
            engine.note("note: a chain of \(longChain) recorded operations was built (an accumulator at the top level grows one long graph); "
                + "wrap the loop in nograd { } or use detach() if you do not need its gradient")
        }
    }
}
