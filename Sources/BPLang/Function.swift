/// A function value: a user `def`, a builtin, or a function made by `grad(fn)`.
/// Immutable once made (the builtin tables are shared by every session, hence Sendable).
public final class Function: @unchecked Sendable {
    enum Body {
        case user(exec: Exec, slots: Int, params: [String], defaults: [Code?])
        case builtin(Builtin)
    }
    public let name: String
    let body: Body
    /// `f(x, k=2)` as help and printing show it.
    public let signature: String

    init(name: String, body: Body, signature: String) {
        self.name = name
        self.body = body
        self.signature = signature
    }

    /// A builtin's help (nil for a user function).
    var help: Help? {
        if case .builtin(let b) = body { return b.help }
        return nil
    }
}
