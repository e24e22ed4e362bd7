import BPLang
import Testing

/// Runs a script in a fresh session; returns what it printed, its error text and status.
public func run(_ source: String, interactive: Bool = false) -> (out: String, err: String, status: Session.Status) {
    let c = CapturedSession()
    c.interp.interactive = interactive
    let status = c.run(source)
    return (c.out, c.err, status)
}

/// The printed output of a script that must succeed.
public func output(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    let r = run(source)
    #expect(r.status == .ok, "script failed: \(r.err)", sourceLocation: sourceLocation)
    return r.out
}
