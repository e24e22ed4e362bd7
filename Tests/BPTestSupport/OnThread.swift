import Foundation

/// Runs `body` on a new thread with a stack of `stackSize` bytes and waits for its result.
public func onThread<T>(stackSize: Int, _ body: @escaping () -> T) -> T {
    let box = ResultBox<T>(body)
    let done = DispatchSemaphore(value: 0)
    let t = Thread { box.result = box.body(); done.signal() }
    t.stackSize = stackSize
    t.start()
    done.wait()  // the semaphore orders the write before this read
    return box.result!
}

/// Runs on a thread with a 512 MiB stack, as the bp executable runs the interpreter.
public func onBigStack<T>(_ body: @escaping () -> T) -> T { onThread(stackSize: 512 << 20, body) }

/// The work and its result handed between the two threads (the semaphore orders them).
private final class ResultBox<T>: @unchecked Sendable {
    let body: () -> T
    var result: T?
    init(_ body: @escaping () -> T) { self.body = body }
}
