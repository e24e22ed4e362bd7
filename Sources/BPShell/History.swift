import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Persistent history: each accepted line is appended under `flock`, so two shells at once
/// lose nothing; when the file passes the cap it is trimmed to the newest entries under the
/// same lock. Lines are stored one per line, with `\n` and `\\` escaped.
public struct HistoryFile {
    public let path: String
    public let limit: Int

    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = limit
    }

    /// `BP_HISTORY`, else `~/.bp_history`.
    public static func defaultPath() -> String {
        if let p = ProcessInfo.processInfo.environment["BP_HISTORY"], !p.isEmpty { return p }
        return (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.bp_history"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ s: String) -> String {
        var out = "", esc = false
        for c in s {
            if esc { out.append(c == "n" ? "\n" : c); esc = false } else if c == "\\" { esc = true } else { out.append(c) }
        }
        return out
    }

    public func load() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { HistoryFile.unescape(String($0)) }.suffix(limit)
    }

    /// Appends one entry under an exclusive lock; when the file then holds more than `limit`
    /// entries it is rewritten in place with the newest `limit`, under the same lock.
    public func append(_ entry: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        let line = Array((HistoryFile.escape(entry) + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        // trim: read everything under the lock, keep the newest entries, rewrite in place
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count > limit else { return }
        let kept = Array((lines.suffix(limit).joined(separator: "\n") + "\n").utf8)
        ftruncate(fd, 0)
        lseek(fd, 0, SEEK_SET)
        _ = kept.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
