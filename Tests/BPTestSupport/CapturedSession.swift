import BPLang

/// A session whose printed output and error reports are collected in strings, for tests to
/// read: the one set-up of every suite that runs scripts or shell inputs in the library.
public final class CapturedSession {
    public let session: Session
    /// What the session printed (standard output), and its errors and notes (standard error).
    public var out = "", err = ""

    public init(_ session: Session = Session()) {
        self.session = session
        session.interp.output = { [unowned self] in self.out += $0 }
        session.errorOutput = { [unowned self] in self.err += $0 }
    }

    public var interp: Interpreter { session.interp }

    /// One shell input, as the shell runs it.
    @discardableResult public func type(_ input: String) -> Session.Outcome { session.evaluate(input) }

    /// What one shell input prints.
    public func reply(_ input: String) -> String {
        out = ""
        type(input)
        return out
    }

    /// A whole script, as `bp FILE` runs it (`t.bp` names it in messages).
    @discardableResult
    public func run(_ source: String, file: String = "t.bp", printLast: Bool = false) -> Session.Status {
        session.runScript(source, file: file, printLast: printLast)
    }
}
