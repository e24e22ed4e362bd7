/// The calls a runtime error came out of, innermost first, as the report lists them after
/// the source line and caret (SPEC §1), one line per call:
///
///     t.bp:2:16: error: unknown name 'z'
///       def g(x) = x + z
///                      ^
///       in g, called at t.bp:3:12
///       in f, called at t.bp:5:1
///
/// At most `limit` calls are listed, then one line `  ... N more` (SPEC §1). Only those are
/// stored, so an error out of 20,000 nested calls costs no more than one out of 20.
public struct Traceback: Equatable, Sendable {
    /// One call: the function called and where the call is (its caller's source).
    public struct Frame: Equatable, Sendable {
        public let function: String
        public let call: SourceLocation?
    }

    static let limit = 20
    private var frames: [Frame] = []
    /// Calls past the limit.
    private var more = 0

    public var isEmpty: Bool { frames.isEmpty }

    /// Adds the call the error has just left (each is further out than the last).
    mutating func append(_ frame: Frame) {
        if frames.count < Traceback.limit { frames.append(frame) } else { more += 1 }
    }

    /// The lines of the report, each indented by two spaces; `file` prefixes locations.
    func lines(file: String?) -> [String] {
        frames.map { f in
            "  in \(f.function)" + (f.call.map { ", called at " + (file.map { "\($0):" } ?? "") + "\($0)" } ?? "")
        } + (more > 0 ? ["  ... \(more) more"] : [])
    }
}
