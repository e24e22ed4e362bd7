import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be written: the path as given, the errno of the call that failed,
/// and a message a student understands (`cannot write 'nodir/x.bp': the folder 'nodir' does
/// not exist`).
public struct FileWriteError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let code: Int32
    /// The folder the file goes in, as shown in messages.
    public let folder: String
    /// True when the failing call created the temporary file in `folder` (so a permission
    /// error is the folder's), false when it was about the file itself.
    public let inFolder: Bool

    public init(path: String, code: Int32, folder: String, inFolder: Bool) {
        self.path = path
        self.code = code
        self.folder = folder
        self.inFolder = inFolder
    }

    public var message: String {
        let reason: String
        switch code {
        case ENOENT: reason = "the folder '\(folder)' does not exist"
        case ENOTDIR: reason = "a part of '\(folder)' is a file, not a folder"
        case EACCES, EPERM: reason = inFolder ? "permission denied: the folder '\(folder)' is not writable" : "permission denied"
        case EISDIR: reason = "it is a directory"
        case EROFS: reason = "the file system is read-only"
        case ENOSPC, EDQUOT: reason = "the disk is full"
        default:
            let text = String(cString: strerror(code))
            reason = text.prefix(1).lowercased() + text.dropFirst()
        }
        return "cannot write '\(path)': \(reason)"
    }

    public var description: String { message }
}

/// Writes a file atomically: a temporary file beside it, fsync, rename; keeps the mode of
/// an existing file and writes through a symlink to its target. Paths are split with plain
/// String operations (NSString's path methods trap on some inputs).
public enum AtomicFile {
    /// Throws a `FileWriteError` carrying the errno of the call that failed.
    public static func write(_ text: String, to path: String) throws {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// The same for bytes (a PNG picture).
    public static func write(bytes: [UInt8], to path: String) throws {
        let target = linkTarget(path) ?? path
        let (dir, name) = split(target)
        let folder = dir.isEmpty ? "." : (dir == "/" ? dir : String(dir.dropLast()))
        func failure(_ code: Int32, inFolder: Bool) -> FileWriteError {
            FileWriteError(path: path, code: code, folder: folder, inFolder: inFolder)
        }
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists && (st.st_mode & S_IFMT) == S_IFDIR || name.isEmpty { throw failure(EISDIR, inFolder: false) }
        // a read-only file stays unwritten, although replacing it would only need the folder
        if exists && access(target, W_OK) != 0 { throw failure(errno, inFolder: false) }
        let tmp = dir + ".\(name).tmp\(getpid())"
        // an unnamed file (O_TMPFILE) vanishes when bp is killed while writing it: it gets
        // its name just before the rename. Where the file system has none, a named one.
        // (the name comes through /proc/self/fd: without /proc, a named file from the start)
        var fd = access("/proc/self/fd", X_OK) == 0 ? open(folder, O_WRONLY | AtomicFile.unnamed | O_CLOEXEC, 0o644) : -1
        let unnamed = fd >= 0
        if !unnamed { fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw failure(errno, inFolder: true) }
        var code: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                offset += n
            }
        }
        if code == 0 && fsync(fd) != 0 { code = errno }
        if exists { fchmod(fd, st.st_mode & 0o7777) }
        if unnamed && code == 0 { unlink(tmp) }  // a stale file of an earlier bp with this pid
        if unnamed && code == 0 && linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) != 0 { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && rename(tmp, target) != 0 { code = errno }
        if code != 0 {
            unlink(tmp)
            throw failure(code, inFolder: false)
        }
    }

    /// Linux's O_TMPFILE (`__O_TMPFILE | O_DIRECTORY`; the C macro does not reach Swift).
    static let unnamed: Int32 = 0o20_000_000 | O_DIRECTORY

    /// The file at the end of a chain of symlinks (each relative to its link's folder);
    /// nil when `path` is no symlink. Plain readlink: FileManager's path calls trap on some
    /// inputs. A loop stops after 40 links; the write then fails with ELOOP.
    static func linkTarget(_ path: String) -> String? {
        var current = path, buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        for _ in 0..<40 {
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { return current == path ? nil : current }
            let dest = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = dest.hasPrefix("/") ? dest : split(current).dir + dest
        }
        return current
    }

    /// The folder part (with its final `/`, empty for none) and the name.
    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
