import Foundation
import BPLang
#if canImport(Glibc)
import Glibc
#endif

/// Persistent history: each accepted line is appended under an exclusive `flock`, so two
/// shells at once lose nothing; when the file passes the cap it is rewritten with the newest
/// entries through a temporary file and `rename`, under the same lock, so a crash leaves the
/// old or the new file, never half of one. Loading takes the lock shared. Lines are stored one
/// per line, with `\n` and `\\` escaped; a line that is not UTF-8 is skipped, the rest kept.
/// Without a place to keep it (HOME unset, a folder or an unwritable file) history lives for
/// the session only, and one note on standard error says so.
public final class HistoryFile {
    /// nil: kept for this session only.
    public let path: String?
    public let limit: Int
    /// Where the one note goes (standard error by default).
    var warn: (String) -> Void
    private var warned = false

    public init(path: String?, limit: Int = 1000, warn: @escaping (String) -> Void = { StandardStreams.error($0 + "\n") }) {
        self.path = path
        self.limit = limit
        self.warn = warn
    }

    /// `BP_HISTORY`, else `$HOME/.bp_history`; nil when HOME is unset or empty (there is
    /// no home to keep it in: not `/.bp_history`, not the working folder).
    public static func defaultPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["BP_HISTORY"], !p.isEmpty { return p }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return home + (home.hasSuffix("/") ? "" : "/") + ".bp_history"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ s: String) -> String {
        var out = "", esc = false
        for c in s.unicodeScalars {
            if esc { out.unicodeScalars.append(c == "n" ? "\n" : c); esc = false } else if c == "\\" { esc = true } else { out.unicodeScalars.append(c) }
        }
        return out
    }

    /// Says once why history is not saved.
    private func note(_ why: String) {
        guard !warned else { return }
        warned = true
        warn("note: \(why); history is kept for this session only")
    }

    private func cannotSave(_ path: String, _ code: Int32) {
        let reason = code == EISDIR ? "it is a directory" : code == EACCES || code == EPERM ? "permission denied" : String(cString: strerror(code))
        note("cannot save the history in '\(path)': \(reason)")
    }

    /// Checks that history can be saved, and says once when it cannot (at the shell's start).
    public func check() {
        guard let path else { return note("HOME is not set") }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { return cannotSave(path, errno) }
        close(fd)
    }

    /// The saved entries, oldest first, at most `limit`.
    public func load() -> [String] {
        guard let path else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        flock(fd, LOCK_SH)
        defer { flock(fd, LOCK_UN) }
        return Array(HistoryFile.lines(HistoryFile.readAll(fd)).map { HistoryFile.unescape($0) }.suffix(limit))
    }

    /// The stored lines that are UTF-8 text (one bad byte loses its line only).
    static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0x0A).compactMap { String(validating: $0, as: UTF8.self) }
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        lseek(fd, 0, SEEK_SET)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return bytes }
            bytes += chunk[..<n]
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Opens the history file and locks it exclusively. The trim renames a new file over
    /// the old, so a lock won on the old file (unlinked while we waited) is retried.
    private func openLocked(_ path: String) -> Int32? {
        while true {
            let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { cannotSave(path, errno); return nil }
            flock(fd, LOCK_EX)
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0 && stat(path, &named) == 0 && held.st_ino == named.st_ino && held.st_dev == named.st_dev {
                return fd
            }
            close(fd)
        }
    }

    /// Appends one entry under the lock; when the file then holds more than `limit` entries
    /// it is replaced by one with the newest `limit`.
    public func append(_ entry: String) {
        guard let path else { return }
        // a symlinked history file (dotfiles) stays a link: the rename replaces its target
        let file = HistoryFile.resolved(path)
        guard let fd = openLocked(file) else { return }
        defer { close(fd) }  // closing releases the lock
        guard HistoryFile.writeAll(fd, Array((HistoryFile.escape(entry) + "\n").utf8)) else { return cannotSave(path, errno) }
        let lines = HistoryFile.lines(HistoryFile.readAll(fd))
        guard lines.count > limit else { return }
        let kept = Array(lines.suffix(limit).map { $0 + "\n" }.joined().utf8)
        var st = stat()
        fstat(fd, &st)
        let tmp = file + ".tmp\(getpid())"
        let out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { return cannotSave(path, errno) }
        fchmod(out, st.st_mode & 0o777)
        let ok = HistoryFile.writeAll(out, kept) && fsync(out) == 0
        let code = errno
        if close(out) == 0 && ok && rename(tmp, file) == 0 { return }
        unlink(tmp)
        cannotSave(path, ok ? errno : code)
    }

    /// The file a symlink points to (itself for anything else).
    static func resolved(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK, let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
