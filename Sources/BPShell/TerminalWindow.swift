import BPLang
#if canImport(Glibc)
import Glibc
#endif

/// The terminal standard output is drawn on, as the kernel reports it (`TIOCGWINSZ`); the
/// only place bp asks. The library takes the answer as a setting (`Interpreter.terminalSize`).
public enum TerminalWindow {
    /// The size of standard output's terminal; nil when output is not a terminal or the
    /// terminal does not say.
    public static func size() -> TerminalSize? {
        guard isatty(1) != 0 else { return nil }
        var w = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 else { return nil }
        return TerminalSize(columns: Int(w.ws_col), rows: Int(w.ws_row))
    }
}
