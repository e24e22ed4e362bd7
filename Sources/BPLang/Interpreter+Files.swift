import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files the builtins read and write, named relative to the session's working directory.
extension Interpreter {
    /// `path` as the session means it: unchanged when absolute or when the session has no
    /// working directory of its own, else inside that directory.
    func resolve(_ path: String) -> String {
        guard let dir = workingDirectory, !path.hasPrefix("/"), !dir.isEmpty else { return path }
        return dir.hasSuffix("/") ? dir + path : dir + "/" + path
    }

    /// The text of a file, or an error that says why it cannot be read (`csv(): cannot read
    /// 'x.csv': no such file`).
    func readText(_ path: String, for what: String) throws -> String {
        let full = resolve(path)
        func failure(_ reason: String) -> BPError { BPError.runtime("\(what): cannot read '\(path)': \(reason)") }
        var st = stat()
        guard stat(full, &st) == 0 else {
            throw failure(errno == ENOENT ? "no such file" : String(cString: strerror(errno)).lowercased())
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw failure("it is a directory") }
        guard let data = FileManager.default.contents(atPath: full) else { throw failure("permission denied") }
        guard let text = String(data: data, encoding: .utf8) else { throw failure("it is not text (UTF-8)") }
        return text
    }

    /// Writes a file atomically (see `AtomicFile`), with the message of `FileWriteError`.
    func writeText(_ text: String, to path: String, for what: String) throws {
        try writeBytes(Array(text.utf8), to: path, for: what)
    }

    /// Writes bytes atomically, with the same messages as `writeText`.
    func writeBytes(_ bytes: [UInt8], to path: String, for what: String) throws {
        do {
            try AtomicFile.write(bytes: bytes, to: resolve(path))
        } catch let e as FileWriteError {
            // the message names the path (and its folder) as the program wrote it
            let dir = AtomicFile.split(path).dir
            let folder = path == resolve(path) ? e.folder : (dir.isEmpty ? "." : (dir == "/" ? dir : String(dir.dropLast())))
            let shown = FileWriteError(path: path, code: e.code, folder: folder, inFolder: e.inFolder)
            throw BPError.runtime("\(what): \(shown.message)")
        }
    }
}
