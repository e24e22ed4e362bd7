/// A picture or table for a front end that shows more than text (a notebook, through
/// `bp --serve`): a MIME bundle keyed by type — `image/svg+xml`, `text/html`, `text/plain`
/// (the text the shell would print, for a front end that shows only text).
public struct Display: Equatable, Sendable {
    public var data: [String: String]
    public init(_ data: [String: String]) { self.data = data }
}
