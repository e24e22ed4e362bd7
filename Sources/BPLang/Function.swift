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
    /// `f(x, k=2)` as help and printing show it; nil for a builtin, whose signature is made
    /// from its parameters when shown (making every builtin's at start-up was a quarter of
    /// `bp -e 1`'s instructions).
    private let declaredSignature: String?
    public var signature: String {
        if case .builtin(let b) = body { return b.signature }
        return declaredSignature ?? name
    }

    init(name: String, body: Body, signature: String?) {
        self.name = name
        self.body = body
        self.declaredSignature = signature
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
    /// The function's name (for errors: a call needs no `Function` at hand).
    let name: String
    /// The body, yielding what the call returns (see `Compiler.functionBody`).
    let body: Code
    /// Frame size: parameters first, then every other local.
    let slots: Int
    let params: [String]
    let defaults: [CodeBox?]
    /// The input the function was defined in: an error inside it shows its lines from there.
    let source: LabelSource

    init(name: String, body: @escaping Code, slots: Int, params: [String], defaults: [CodeBox?], source: LabelSource) {
        self.name = name
        self.source = source
        self.body = body
        self.slots = slots
        self.params = params
        self.defaults = defaults
    }
}
