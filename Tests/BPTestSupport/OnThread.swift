import Foundation

/// Runs `body` on a new thread with a stack of `stackSize` bytes and waits for its result.
public func onThread<T>(stackSize: Int, _ body: @escaping () -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let t = Thread { box.result = body(); done.signal() }
    t.stackSize = stackSize
    t.start()
    done.wait()  // the semaphore orders the write before this read
    return box.result!
}

/// Runs on a thread with a 512 MiB stack, as the bp executable runs the interpreter.
public func onBigStack<T>(_ body: @escaping () -> T) -> T { onThread(stackSize: 512 << 20, body) }

/// The result handed from the new thread to the waiting one.
private final class ResultBox<T>: @unchecked Sendable { var result: T? }
