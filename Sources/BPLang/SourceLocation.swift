/// A position in source text: line and column, both counted from 1, columns in Unicode scalars.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// Where an AST node stands: its location (for errors) and its extent in the source
/// (offsets into the source's scalars, for labels such as `(a + b)`).
public struct Pos: Equatable, Sendable {
    public var loc: SourceLocation
    public var start: Int
    public var end: Int
    public init(loc: SourceLocation, start: Int, end: Int) { self.loc = loc; self.start = start; self.end = end }
}
