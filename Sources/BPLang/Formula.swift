import BPTensor

/// A formula binding `f := expr`: evaluated anew at each use.
public final class Formula {
    let name: String
    let code: Code
    let source: String
    /// The whole input that defined it, to show the line of an error inside it.
    let input: String
    /// The names its expression reads (to find a formula that refers to itself).
    let names: Set<String>
    /// True while it is being evaluated: reading it again then means it refers to itself.
    private var active = false

    init(name: String, code: @escaping Code, source: String, input: String, names: Set<String>) {
        self.name = name
        self.input = input
        self.code = code
        self.source = source
        self.names = names
    }

    static func selfReference(_ name: String, at loc: SourceLocation?) -> BPError {
        BPError.runtime("formula '\(name)' refers to itself; use '=' to bind a value", at: loc)
    }

    /// Evaluates the expression; a use of the formula while it is being evaluated (through
    /// other formulas or functions) is an error, never an endless recursion.
    func evaluate(_ i: Interpreter, at loc: SourceLocation?) throws -> Value {
        if active { throw Formula.selfReference(name, at: loc) }
        active = true
        defer { active = false }
        do { return try code(i) } catch var e as BPError {
            if e.source == nil { e.source = input }
            throw e
        }
    }
}
