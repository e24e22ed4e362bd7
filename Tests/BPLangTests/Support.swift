import Foundation
import Testing
@testable import BPLang

/// Runs a script in a fresh session; returns what it printed, its error text and status.
func run(_ source: String, interactive: Bool = false) -> (out: String, err: String, status: Session.Status) {
    let session = Session()
    var out = "", err = ""
    session.interp.output = { out += $0 }
    session.errorOutput = { err += $0 }
    session.interp.interactive = interactive
    let status = session.runScript(source, file: "t.bp")
    return (out, err, status)
}

/// The printed output of a script that must succeed.
func output(_ source: String) -> String {
    let r = run(source)
    #expect(r.status == .ok, "script failed: \(r.err)")
    return r.out
}

/// Runs on a thread with a 512 MiB stack, as the bp executable runs the interpreter.
func onBigStack<T>(_ body: @escaping () -> T) -> T {
    var result: T? = nil
    let done = DispatchSemaphore(value: 0)
    let t = Thread { result = body(); done.signal() }
    t.stackSize = 512 << 20
    t.start()
    done.wait()
    return result!
}
