import BPTensor

/// Arguments of a call as written: positional, then keyword.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    public var loc: SourceLocation?
    public var label: Label?
    /// The label of each argument's source text (for `backward(f)` printing `df/da`).
    public var argumentLabels: [Label?] = []

    public init(_ positional: [Value], keywords: [(String, Value)] = [], loc: SourceLocation? = nil, label: Label? = nil) {
        self.positional = positional
        self.keywords = keywords
        self.loc = loc
        self.label = label
    }
}
