/// Habits from Python and NumPy, each answered by one error that names the bp way.
enum Hints {
    /// The hint for an unknown name a Python user is likely to type, or nil.
    static func name(_ name: String) -> String? {
        switch name {
        case "True": return "; bp writes true"
        case "False": return "; bp writes false"
        case "None": return "; bp writes none"
        case "int": return "; bp's numbers are all floating point: use round(x) or floor(x)"
        case "np", "numpy", "torch", "math":
            return "; bp's builtins need no prefix: write sum(x), exp(x), randn(2, 3)"
        default: return nil
        }
    }

    static func maskIndex(at loc: SourceLocation) -> BPError {
        BPError.runtime("bp indexes with numbers and slices only; for a mask such as x[x > 2] use where(x > 2, x, 0)", at: loc)
    }
}
