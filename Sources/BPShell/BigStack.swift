import Foundation

/// Runs work on a thread with a 512 MiB stack (deep recursion ends in a clean error, not
/// a crash) and makes it the thread Ctrl-C reaches. The caller flushes standard output:
/// errno is per thread, and the reason a final write failed is wanted where it is reported.
public enum BigStack {
    public static func run<T>(_ body: @escaping () -> T) -> T {
        Signals.setInterruptBlocked(true)
        let box = ResultBox<T>(body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            Signals.setInterruptBlocked(false)
            box.result = box.body()
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()  // the semaphore orders the write before this read
        return box.result!
    }

    /// The work and its result handed between the two threads (the semaphore orders them).
    private final class ResultBox<T>: @unchecked Sendable {
        let body: () -> T
        var result: T?
        init(_ body: @escaping () -> T) { self.body = body }
    }
}
