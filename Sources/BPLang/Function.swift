import BPTensor

/// A function value: a user `def`, a builtin, or a function made by `grad(fn)`.
/// Immutable once made (the builtin tables are shared by every session, hence Sendable).
public final class Function: @unchecked Sendable {
    enum Body {
        case user(UserCode)
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

/// A user function's compiled body: one object, so a call reads its parts without copying
/// (and retaining) each out of an enum payload.
final class UserCode {
    let exec: Exec
    /// Frame size: parameters first, then every other local.
    let slots: Int
    let params: [String]
    let defaults: [CodeBox?]
    /// The input the function was defined in: an error inside it shows its lines from there.
    let source: LabelSource

    init(exec: @escaping Exec, slots: Int, params: [String], defaults: [CodeBox?], source: LabelSource) {
        self.source = source
        self.exec = exec
        self.slots = slots
        self.params = params
        self.defaults = defaults
    }
}
