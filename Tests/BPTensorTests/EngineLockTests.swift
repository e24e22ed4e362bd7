import Foundation
import Testing
@testable import BPTensor
import CKernels

/// The engine lock lets one thread at a time run the engine (release builds count references
/// without atomic instructions, so two threads inside it at once could free a shared object
/// in use): it excludes, a holder may take it again, and `yield` hands it to a waiting thread.
@Suite(.serialized) struct EngineLockTests {
    /// Counts threads inside the lock; only touched while holding it (or the test fails).
    private final class Inside: @unchecked Sendable {
        var now = 0, most = 0, entries = 0
    }

    @Test func twoThreadsAreNeverInsideAtOnce() {
        let inside = Inside()
        let done = DispatchSemaphore(value: 0)
        @Sendable func work() {
            for _ in 0..<2_000 {
                EngineLock.run {
                    inside.now += 1
                    inside.most = max(inside.most, inside.now)
                    inside.entries += 1
                    // long enough for the other thread to try to enter
                    for _ in 0..<5 { sched_yield() }
                    inside.now -= 1
                }
            }
            done.signal()
        }
        Thread { work() }.start()
        Thread { work() }.start()
        done.wait()
        done.wait()
        #expect(inside.most == 1)
        #expect(inside.entries == 4_000)  // (an increment lost to a race would show here too)
    }

    @Test func aHolderTakesItAgain() {
        #expect(!EngineLock.isHeld)
        let depth = EngineLock.run { EngineLock.run { EngineLock.isHeld ? 2 : 0 } }
        #expect(depth == 2)
        #expect(!EngineLock.isHeld)
    }

    /// A statement boundary hands the lock to a thread that waits for it (the holder does not
    /// finish all its statements first); a nested holder (a session run from a builtin) keeps it.
    @Test func yieldLetsAWaitingThreadInBetweenStatements() {
        final class Flag: @unchecked Sendable { var ran = false }
        let flag = Flag()
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        var ranWhileNested = false, handedOver = false
        EngineLock.run {
            Thread {
                started.signal()
                EngineLock.run { flag.ran = true }
                done.signal()
            }.start()
            started.wait()
            EngineLock.run {
                for _ in 0..<200 {
                    EngineLock.yield()
                    usleep(250)
                }
                ranWhileNested = flag.ran
            }
            // the holder's "statements": each ends with a yield, until the other thread ran
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                EngineLock.yield()
                if flag.ran { handedOver = true; break }
                usleep(100)
            }
        }
        done.wait()
        #expect(!ranWhileNested, "a nested holder handed the lock over")
        #expect(handedOver, "the waiting thread never got the lock between statements")
    }

    /// A statement boundary hands the lock to the thread waiting for it: the holder's next
    /// yield or so lets it in (a plain unlock and lock let the holder take it straight back
    /// nearly every time: one switch in thousands of statements). Other suites' sessions may
    /// wait too, and each yield lets one waiter in, so a few yields are allowed.
    @Test func aWaitingThreadGetsInWithinAFewStatements() {
        final class Flag: @unchecked Sendable { var ran = false }
        let flag = Flag()
        let done = DispatchSemaphore(value: 0)
        var yields = 0
        EngineLock.run {
            Thread {
                EngineLock.run { flag.ran = true }
                done.signal()
            }.start()
            // until the other thread is blocked on the lock
            let deadline = Date().addingTimeInterval(10)
            while bp_engine_waiting() == 0 && Date() < deadline { usleep(100) }
            while !flag.ran && yields < 1_000 {
                // a statement's work (20 µs, as a small tensor statement or two)
                let end = DispatchTime.now().uptimeNanoseconds + 20_000
                while DispatchTime.now().uptimeNanoseconds < end {}
                EngineLock.yield()
                yields += 1
            }
        }
        done.wait()
        #expect(flag.ran)
        #expect(yields <= 20, "the waiting thread got in only after \(yields) statements")
    }
}
