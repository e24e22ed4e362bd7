/// The calls a runtime error came out of, innermost first, as the report lists them after
/// the source line and caret (SPEC §1), one line per call:
///
///     t.bp:2:16: error: unknown name 'z'
///       def g(x) = x + z
///                      ^
///       in g, called at t.bp:3:12
///       in f, called at t.bp:5:1
///
/// A call repeated at once (recursion: the same function called from the same place) is
/// one line followed by `  ... repeated N more times`, as CPython does. Past `limit` lines
/// (mutual recursion), the innermost and the outermost `limit / 2` are kept and the middle is
/// one line `  ... N more`. Only those are stored, so an error out of 20,000 nested calls
/// costs no more than one out of 20.
public struct Traceback: Equatable, Sendable {
    /// One call: the function called and where the call is (its caller's source).
    public struct Frame: Equatable, Sendable {
        public let function: String
        public let call: SourceLocation?
    }

    /// A frame and how many times in a row it came.
    struct Run: Equatable, Sendable {
        let frame: Frame
        var count: Int
    }

    static let limit = 20
    private var innermost: [Run] = []
    private var outermost: [Run] = []
    /// Calls dropped between the two.
    private var dropped = 0

    public var isEmpty: Bool { innermost.isEmpty }

    /// Adds the call the error has just left (each is further out than the last).
    mutating func append(_ frame: Frame) {
        if outermost.isEmpty, let last = innermost.last, last.frame == frame {
            innermost[innermost.count - 1].count += 1
        } else if let last = outermost.last, last.frame == frame {
            outermost[outermost.count - 1].count += 1
        } else if innermost.count < Traceback.limit / 2 {
            innermost.append(Run(frame: frame, count: 1))
        } else {
            outermost.append(Run(frame: frame, count: 1))
            if outermost.count > Traceback.limit / 2 { dropped += outermost.removeFirst().count }
        }
    }

    /// The lines of the report, each indented by two spaces; `file` prefixes locations.
    func lines(file: String?) -> [String] {
        func show(_ r: Run) -> [String] {
            let at = r.frame.call.map { ", called at " + (file.map { "\($0):" } ?? "") + "\($0)" } ?? ""
            let head = "  in \(r.frame.function)\(at)"
            if r.count == 1 { return [head] }
            return [head, "  ... repeated \(r.count - 1) more time\(r.count == 2 ? "" : "s")"]
        }
        return innermost.flatMap(show) + (dropped > 0 ? ["  ... \(dropped) more"] : []) + outermost.flatMap(show)
    }
}
