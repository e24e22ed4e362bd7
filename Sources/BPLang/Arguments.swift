/// Arguments of a call as written: positional, then keyword.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    public var loc: SourceLocation?
    public var site: Int32
    /// The label of each argument's source text (for `backward(f)` printing `df/da`).
    public var argumentSites: [Int32] = []

    public init(_ positional: [Value], keywords: [(String, Value)] = [], loc: SourceLocation? = nil, site: Int32 = -1) {
        self.positional = positional
        self.keywords = keywords
        self.loc = loc
        self.site = site
    }
}
