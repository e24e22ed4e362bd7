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
    public static let banner = "bp \(Version.string): a shell for exploring backpropagation. :help lists commands, Ctrl-D quits."

    public init(session: Session, historyPath: String = HistoryFile.defaultPath()) {
        self.session = session
        self.editor = LineEditor(session: session)
        self.history = HistoryFile(path: historyPath)
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
        fflush(stdout)
        var buffer = ""
        var transcript = TranscriptFilter()
        while true {
            let (line, interrupted) = editor.read(prompt: buffer.isEmpty ? "bp> " : "... ")
            if interrupted {
                buffer = ""
                transcript = TranscriptFilter()
                print("")
                continue
            }
            guard let raw = line else {
                if isatty(0) != 0 { print("") }  // end the prompt line after Ctrl-D
                return 0
            }
            guard let text = transcript.accept(raw, continuing: !buffer.isEmpty) else {
                if !REPL.inputPending() { transcript.endPaste() }
                continue
            }
            if !REPL.inputPending() { transcript.endPaste() }
            buffer += buffer.isEmpty ? text : "\n" + text
            if session.needsMore(buffer) { continue }
            let entry = buffer
            buffer = ""
            if !entry.trimmingCharacters(in: .whitespaces).isEmpty {
                editor.addHistory(entry)
                history.append(entry)
            }
            Signals.interruptFlag.pointee = 0
            let outcome = session.evaluate(entry)
            fflush(stdout)
            if outcome == .quit { return 0 }
        }
    }
}

/// Runs work on a thread with a 512 MiB stack (deep recursion ends in a clean error, not
/// a crash) and makes it the thread Ctrl-C reaches.
public enum BigStack {
    public static func run(_ body: @escaping () -> Int32) -> Int32 {
        final class Box: @unchecked Sendable { var status: Int32 = 0 }
        Signals.setInterruptBlocked(true)
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            Signals.setInterruptBlocked(false)
            box.status = body()
            fflush(stdout)
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()  // the semaphore orders the write before this read
        return box.status
    }
}
