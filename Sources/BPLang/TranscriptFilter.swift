/// Pasted transcripts: leading `bp> ` and `... ` prompts are stripped, and while a paste
/// that contained prompts goes on, lines without a prompt are earlier output, not run.
public struct TranscriptFilter {
    /// True while reading a paste that contained a `bp> ` prompt.
    public private(set) var inTranscript = false

    public init() {}

    /// The text to run for a line, or nil when the line is output from a transcript.
    public mutating func accept(_ line: String, continuing: Bool) -> String? {
        if line.hasPrefix("bp> ") || line == "bp>" {
            inTranscript = true
            return String(line.dropFirst(min(4, line.count)))
        }
        if line.hasPrefix("... ") || line == "..." {
            return String(line.dropFirst(min(4, line.count)))
        }
        if inTranscript && !continuing { return nil }
        return line
    }

    /// The paste ended (no more input waiting): lines typed from now on run.
    public mutating func endPaste() { inTranscript = false }
}
