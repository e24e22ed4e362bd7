import BPLang
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The interactive shell: prompts, continuation lines, history, pasted transcripts.
public final class REPL {
    let session: Session
    let editor: LineEditor
    let history: HistoryFile
    /// Why the last flush of standard output failed (errno; 0: none), for the report at exit.
    public private(set) var outputError: Int32 = 0
    public static let banner = "bp \(Version.string): a shell for exploring backpropagation. :help lists commands, Ctrl-D quits."

    /// `historyPath` nil: history for this session only.
    public init(session: Session, historyPath: String? = HistoryFile.defaultPath()) {
        self.session = session
        self.editor = LineEditor(session: session)
        self.history = HistoryFile(path: historyPath)
        history.check()
        for entry in history.load() { editor.addHistory(entry) }
    }

    /// True when more input is already waiting (the rest of a paste).
    static func inputPending() -> Bool {
        var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    /// Runs until Ctrl-D or `:quit`; returns the exit status.
    public func run(showBanner: Bool = true) -> Int32 {
        if showBanner { print(REPL.banner) }
        flush()
        var input = ShellInput()
        var transcript = TranscriptFilter()
        while true {
            let (line, interrupted) = editor.read(prompt: input.isContinuing ? "... " : "bp> ")
            if interrupted {
                input.clear()
                transcript = TranscriptFilter()
                print("")
                continue
            }
            guard let raw = line else {
                if isatty(0) != 0 { print("") }  // end the prompt line after Ctrl-D
                // an if-block waiting for `else` is complete: it runs; an unfinished
                // bracket or string is dropped
                if input.waitingForElse, let entry = input.finish() { _ = runEntry(entry) }
                return 0
            }
            // an if block waiting for `else` is complete: in a pasted transcript, a line
            // without a prompt after it is the block's output
            let waiting = input.waitingForElse
            guard let text = transcript.accept(raw, continuing: input.isContinuing && !waiting) else {
                if !REPL.inputPending() { transcript.endPaste() }
                // the output line ends the waiting block, as an empty line does
                if waiting { for entry in input.feed("", session: session) where runEntry(entry) == .quit { return 0 } }
                continue
            }
            if !REPL.inputPending() { transcript.endPaste() }
            for entry in input.feed(text, session: session) where runEntry(entry) == .quit { return 0 }
        }
    }

    /// Flushes standard output, keeping the reason when it fails (errno is per thread).
    func flush() {
        if StandardStreams.flushOutput() != 0 { outputError = errno }
    }

    /// Records a complete input in the history, then runs it.
    func runEntry(_ entry: String) -> Session.Outcome {
        if !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            editor.addHistory(entry)
            history.append(entry)
        }
        Signals.interruptFlag.pointee = 0
        // measured before each input: the window may have been resized
        session.interp.terminalSize = TerminalWindow.size()
        let outcome = session.evaluate(entry)
        flush()
        return outcome
    }
}

