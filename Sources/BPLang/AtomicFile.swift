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
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(errno, inFolder: true) }
        var code: Int32 = 0
        let bytes = Array(text.utf8)
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
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && rename(tmp, target) != 0 { code = errno }
        if code != 0 {
            unlink(tmp)
            throw failure(code, inFolder: false)
        }
    }

    /// Where a symlink points, relative to the link's folder; nil for anything else.
    static func linkTarget(_ path: String) -> String? {
        guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        return dest.hasPrefix("/") ? dest : split(path).dir + dest
    }

    /// The folder part (with its final `/`, empty for none) and the name.
    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
