import BPTensor

/// An error a student reads: what went wrong, and where.
public struct BPError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case syntax
        case runtime
        /// Ctrl-C stopped a running statement.
        case interrupted
    }
    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    /// True when a syntax error was caused by the input ending early (an open bracket,
    /// brace or string, a trailing operator): the shell then asks for another line.
    public var atEnd: Bool
    /// The calls a runtime error came out of (see `Traceback`).
    public var traceback = Traceback()
    /// The text the location refers to, when it is not the input being run (an error
    /// inside a function defined by an earlier shell input).
    public var source: String?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation?, atEnd: Bool = false) {
        self.kind = kind
        self.message = message
        self.location = location
        self.atEnd = atEnd
    }

    public static func runtime(_ message: String, at location: SourceLocation? = nil) -> BPError {
        BPError(.runtime, message, at: location)
    }

    /// An engine error at a location: Ctrl-C in a kernel becomes `interrupted`.
    public init(_ e: TensorError, at location: SourceLocation?) {
        if e == .interrupted {
            self.init(.interrupted, "interrupted", at: nil)
        } else {
            self.init(.runtime, e.message, at: location)
        }
    }

    public var description: String { render(file: nil, source: nil) }

    /// Compiler-style text: `FILE:LINE:COL: error: MESSAGE`, the source line and a caret,
    /// then the calls that led there (`Traceback`). With no file (the shell) the prefix is
    /// `LINE:COL: error:`.
    public func render(file: String?, source: String?) -> String {
        if kind == .interrupted { return "interrupted" }
        return ([heading(file: file, source: source)] + traceback.lines(file: file)).joined(separator: "\n")
    }

    /// The message line, with the source line and caret when the location is known.
    func heading(file: String?, source: String?) -> String {
        guard let loc = location else {
            return (file.map { "\($0): " } ?? "") + "error: " + message
        }
        var text = (file.map { "\($0):" } ?? "") + "\(loc.line):\(loc.column): error: \(message)"
        // line `loc.line` split on Unicode scalars, without its line end: as Characters,
        // "\r\n" is one, and a CRLF file would be a single line
        if let source = self.source ?? source, loc.line >= 1 {
            let scalars = source.unicodeScalars
            var start: String.UnicodeScalarIndex? = scalars.startIndex
            for _ in 1..<loc.line {
                start = start.flatMap { scalars[$0...].firstIndex(of: "\n") }.map { scalars.index(after: $0) }
            }
            if let start {
                var end = scalars[start...].firstIndex(of: "\n") ?? scalars.endIndex
                if end > start, scalars[scalars.index(before: end)] == "\r" { end = scalars.index(before: end) }
                // a tab shows as one space and a NUL as a visible sign (standard error would
                // stop at it): one scalar each, so the caret stays under the column
                var shown = String.UnicodeScalarView()
                shown.append(contentsOf: scalars[start..<end].map { $0 == "\t" ? " " : $0 == "\0" ? "\u{2400}" : $0 })
                text += "\n  " + String(shown) + "\n  " + String(repeating: " ", count: max(0, loc.column - 1)) + "^"
            }
        }
        return text
    }
}
