import BPLang
import BPTensor
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the libFuzzer targets share: process limits, a big-stack worker thread (the parser,
/// compiler and interpreter recurse), a watchdog that interrupts a run after a time budget,
/// and the three ways of feeding text to a session (script, `--check`, shell lines).
public enum FuzzHarness {
    /// How an input is run.
    public enum Mode: UInt8, CaseIterable { case script = 0, check = 1, shell = 2 }

    /// Interrupt a run after this long (the interpreter polls the flag at loop back-edges
    /// and calls, and stops with an `interrupted` error).
    public static var budgetNanoseconds: UInt64 = 200_000_000
    /// Lower than the interpreter's 20,000: debug frames with ASan are large, and the
    /// release binary's depth limit is exercised by scripts/genprog.py instead.
    public static var maxCallDepth = 2_000
    /// Shell mode stops after this many inputs (a step budget on top of the time budget).
    public static var maxShellInputs = 200

    /// Once per process, before the first input: small tensors only, quiet notes.
    static let setUp: Void = {
        // read once by the engine (a lazy static), so this must come before the first input;
        // an explicit BP_MAX_ELEMENTS in the environment wins
        setenv("BP_MAX_ELEMENTS", "1000000", 0)
        _ = worker
        _ = watchdog
    }()

    /// Parses (and compiles, as `bp --check` does) on the big stack; errors are rendered
    /// and dropped.
    public static func parse(_ text: String) {
        _ = setUp
        worker.run {
            _ = Lexer.tokenize(text)
            let session = quietSession()
            // the shell's "is this input complete?" parse, without running anything
            var input = ShellInput()
            _ = input.feed(text, session: session)
            _ = session.check(text, file: "fuzz.bp")
        }
    }

    /// Runs `text` in `mode` in a fresh session, on the big stack, under the watchdog.
    public static func evaluate(_ text: String, mode: Mode) {
        // no files: `:load`/`:save` read and write the file system (also through `:time`)
        if mode == .shell, text.contains(":load") || text.contains(":save") { return }
        _ = setUp
        worker.run {
            let session = quietSession()
            session.interp.maxCallDepth = maxCallDepth
            disableFileBuiltins(session.interp)
            watchdog.start(flag: session.interp.interruptFlag)
            defer { watchdog.stop() }
            switch mode {
            case .script: _ = session.runScript(text, file: "fuzz.bp")
            case .check: _ = session.check(text, file: "fuzz.bp")
            case .shell: runShell(text, session)
            }
        }
    }

    /// Feeds lines as the shell does: transcript prompts stripped, inputs collected by
    /// `ShellInput`, each complete input evaluated.
    static func runShell(_ text: String, _ session: Session) {
        var input = ShellInput()
        var transcript = TranscriptFilter()
        var count = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let accepted = transcript.accept(String(line), continuing: input.isContinuing) else { continue }
            for entry in input.feed(accepted, session: session) {
                count += 1
                if count > maxShellInputs || session.evaluate(entry) == .quit { return }
            }
        }
        if let rest = input.finish() { _ = session.evaluate(rest) }
    }

    /// One interrupt flag for every session (an interpreter's own flag is never freed).
    static let interruptFlag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.pointee = 0
        return p
    }()

    static func quietSession() -> Session {
        let session = Session(interp: Interpreter(interruptFlag: interruptFlag))
        session.errorOutput = { _ in }
        session.interp.output = { _ in }
        session.interp.noteOutput = { _ in }
        // every session has an engine of its own (grad mode, random generator, notes)
        session.interp.engine.note = { _ in }
        return session
    }

    /// Builtins that touch files become unbound (`plot` and `boundary` write one with `file=`,
    /// anywhere a string names; their terminal drawing goes untested by the fuzzer).
    static let fileBuiltins: Set<String> = ["save", "load", "csv", "dot", "render", "open", "read", "write", "plot", "boundary"]
    static func disableFileBuiltins(_ interp: Interpreter) {
        for name in interp.builtinNames where fileBuiltins.contains(name) { interp.define(name, .none) }
    }

    static let worker = BigStackWorker()
    static let watchdog = Watchdog()
}

/// One thread with a 512 MiB stack that runs jobs handed to it, one at a time; `run` waits.
final class BigStackWorker: @unchecked Sendable {
    private var job: (() -> Void)?
    private let go = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [unowned self] in
            while true {
                self.go.wait()
                self.job?()
                self.job = nil
                self.done.signal()
            }
        }
        thread.stackSize = 512 << 20
        thread.start()
    }

    func run(_ body: @escaping () -> Void) {
        job = body  // the semaphores order this write before the worker's read
        go.signal()
        done.wait()
    }
}

/// Sets the interpreter's interrupt flag once a run has taken longer than the budget, and
/// again every few milliseconds after that (shell mode goes on to the next input).
final class Watchdog: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var flag: UnsafeMutablePointer<Int32>?
    private var deadline: UInt64 = 0

    init() {
        pthread_mutex_init(&lock, nil)
        let thread = Thread { [unowned self] in
            while true {
                usleep(5_000)
                pthread_mutex_lock(&self.lock)
                if let flag = self.flag, DispatchTime.now().uptimeNanoseconds > self.deadline { flag.pointee = 1 }
                pthread_mutex_unlock(&self.lock)
            }
        }
        thread.start()
    }

    func start(flag: UnsafeMutablePointer<Int32>) {
        pthread_mutex_lock(&lock)
        flag.pointee = 0
        self.flag = flag
        deadline = DispatchTime.now().uptimeNanoseconds + FuzzHarness.budgetNanoseconds
        pthread_mutex_unlock(&lock)
    }

    /// After this returns the watchdog no longer touches the flag.
    func stop() {
        pthread_mutex_lock(&lock)
        flag?.pointee = 0
        flag = nil
        pthread_mutex_unlock(&lock)
    }
}
