import CLibEdit
import BPLang
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// libedit behind four calls (read a line, add to history, completion, prompt), with a
/// plain reader when standard input is not a terminal.
final class LineEditor {
    /// The shell's one static: the editor libedit's completion callbacks reach, as C
    /// callbacks cannot capture (Lua's lua.c keeps `globalL` for its signal handler so).
    nonisolated(unsafe) private static weak var current: LineEditor?
    /// The session completion asks.
    let session: Session
    /// The completions of the word being completed, handed to libedit one by one.
    private var candidates: [String] = []

    init(session: Session) {
        self.session = session
        LineEditor.useUTF8Locale()
        // libedit keeps these pointers: copies that live as long as the process (a Swift
        // string passed as `char *` lives for the call only; "bp", a small string, was a
        // dangling stack copy, and loading a history crashed in rl_initialize's wcsdup)
        bp_set_readline_name(strdup("bp"))
        bp_set_completion_append_character(0)
        bp_set_word_break_characters(strdup(" \t\n\"'`@$><=;|&{(,[+-*/^%!"))
        bp_set_completion { text, start, _ in
            guard let text, let editor = LineEditor.current else { return nil }
            return editor.complete(text, start: Int(start))
        }
        LineEditor.current = self
    }

    /// libedit's completion of the word `text`, which starts at character `start` of the line.
    private func complete(_ text: UnsafePointer<CChar>, start: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let word = String(cString: text)
        let line = String(cString: bp_line_buffer())
        // libedit counts `start` in characters of its wide-character line, while the
        // line buffer holds UTF-8 bytes: count Unicode scalars, not bytes
        var before = ""
        before.unicodeScalars.append(contentsOf: line.unicodeScalars.prefix(start))
        candidates = session.completions(for: word, before: before)
        bp_set_attempted_completion_over(1)  // no fallback to file names
        if candidates.isEmpty { return nil }
        return rl_completion_matches(text) { _, state in
            guard let editor = LineEditor.current, Int(state) < editor.candidates.count else { return nil }
            return strdup(editor.candidates[Int(state)])
        }
    }

    /// libedit decodes input by the locale's character type, and in the C locale it drops
    /// every non-ASCII byte: take the user's locale, and when its codeset is not UTF-8
    /// (C, POSIX, unset LANG) a UTF-8 one. Only LC_CTYPE: number formatting is untouched.
    static func useUTF8Locale() {
        setlocale(LC_CTYPE, "")
        if isUTF8Locale() { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8Locale() { return }
        }
    }

    static func isUTF8Locale() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// One line, nil at end of input; `interrupted` is set when Ctrl-C ended the read.
    func read(prompt: String) -> (line: String?, interrupted: Bool) {
        Signals.interruptFlag.pointee = 0
        guard let raw = readline(prompt) else {
            let interrupted = Signals.interruptFlag.pointee != 0
            Signals.interruptFlag.pointee = 0
            return (nil, interrupted)
        }
        defer { free(raw) }
        if Signals.interruptFlag.pointee != 0 {
            Signals.interruptFlag.pointee = 0
            return (nil, true)
        }
        return (String(cString: raw), false)
    }

    func addHistory(_ line: String) { add_history(line) }
}
