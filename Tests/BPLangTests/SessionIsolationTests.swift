import BPTestSupport
import Foundation
import Testing
@testable import BPLang
import BPTensor

/// Every session owns its engine state — grad mode, the random generator, the one-time
/// notes — so two sessions in one process never see each other (issue 8, item 1).
@Suite struct SessionIsolationTests {
    /// Interleaved on one thread: each session's generator continues its own sequence
    /// (NumPy: seed(1) gives 0.417022 0.720324 0.000114375, printed with precision 4 as
    /// [7.2032e-01 1.1437e-04]; seed(2) gives 0.435995 0.0259262).
    @Test func randomSequencesAreTheSessionsOwn() {
        let a = CapturedSession(), b = CapturedSession()
        a.type("seed(1)")
        b.type("seed(2)")
        #expect(a.reply("print(rand(1)[0])") == "0.417022\n")
        #expect(b.reply("print(rand(1)[0])") == "0.435995\n")
        #expect(a.reply("print(rand(2))") == "[7.2032e-01 1.1437e-04]\n")
        #expect(b.reply("print(rand(1)[0])") == "0.0259262\n")
    }

    /// On two threads at once: one session keeps switching grad mode off (nograd) while the
    /// other builds graphs; the second never sees the first's switch.
    @Test func gradModeIsTheSessionsOwn() {
        let done = DispatchSemaphore(value: 0)
        let quiet = Thread {
            let c = CapturedSession()
            c.run("for i in range(3000) { nograd { z = i * 2 } }")
            done.signal()
        }
        quiet.start()
        let c = CapturedSession()
        #expect(c.run("""
            a = 2
            for i in range(3000) {
              b = a * a
              assert grad(b, a) == 4, "b is a node of a"
            }
            print("ok")
            """) == .ok, "\(c.err)")
        #expect(c.out == "ok\n")
        done.wait()
    }

    /// Every statement runs holding the engine lock (release builds count references without
    /// atomic instructions: two threads inside the engine at once could free a shared builtin
    /// in use), and sessions on two threads take turns between statements: both finish.
    @Test func statementsRunHoldingTheEngineLock() {
        let c = CapturedSession()
        c.interp.define("held", .function(Function(Builtin("held", [], rest: nil, help: nil) { _, _ in
            .bool(EngineLock.isHeld)
        })))
        #expect(c.reply("print(held())") == "true\n")
        #expect(!EngineLock.isHeld)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let other = CapturedSession()
            _ = other.run(String(repeating: "x = sum(randn(8, 8) @ randn(8, 8))\n", count: 300))
            done.signal()
        }.start()
        #expect(c.run(String(repeating: "y = sum(randn(8, 8) @ randn(8, 8))\n", count: 300) + "print(\"ok\")") == .ok, "\(c.err)")
        done.wait()
        #expect(c.out.hasSuffix("ok\n"))
    }
}
