#if canImport(Glibc)
@preconcurrency import Glibc  // stdout and stderr are C globals
#endif

/// The process's standard output and error, written as C's buffered streams (so `print`
/// output and error reports keep their order). The one file that touches the C globals.
public enum StandardStreams {
    /// Writes the bytes of `s` to standard output (fwrite, not fputs: a string may hold NUL).
    public static func output(_ s: String) {
        var s = s
        s.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
    }

    /// Flushes standard output: 0, or EOF with errno set.
    @discardableResult
    public static func flushOutput() -> Int32 { fflush(stdout) }

    /// Flushes standard output; true when it or an earlier write failed (errno says why).
    public static func outputFailed() -> Bool { fflush(stdout) != 0 || ferror(stdout) != 0 }

    /// Flushes standard output, then writes `s` to standard error.
    public static func error(_ s: String) {
        fflush(stdout)
        fputs(s, stderr)
    }
}
