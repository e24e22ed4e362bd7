#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C: a `sigaction` handler without SA_RESTART stores into a flag the interpreter
/// polls at loop back-edges and calls; at the prompt the interrupted read returns.
public enum Signals {
    /// The flag the handler sets; shared with every interpreter.
    nonisolated(unsafe) public static let interruptFlag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.pointee = 0
        return p
    }()

    /// `restart`: a read the signal interrupts goes on (`bp --serve` waiting for its next
    /// request); without it, the blocked read at the prompt returns.
    public static func installInterruptHandler(restart: Bool = false) {
        _ = interruptFlag
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Signals.interruptFlag.pointee = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = restart ? Int32(SA_RESTART) : 0
        sigaction(SIGINT, &action, nil)
    }

    /// Blocks or unblocks SIGINT for the calling thread, so it reaches the interpreter thread.
    public static func setInterruptBlocked(_ blocked: Bool) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, nil)
    }
}
