import Foundation

/// Graphviz's `dot` program, found on PATH: DOT text in, a picture's bytes out. Where it is
/// missing, the error says how to install it.
///
/// A target of its own because it uses threads (Foundation's `Process` watches the child on
/// one, and dot's messages are read on another): the engine's modules count references
/// without atomic instructions in release builds and must never be run by two threads at
/// once (docs/performance.md). Nothing of the engine crosses this boundary: text in, bytes
/// or a message out.
public enum GraphvizProgram {
    /// Why a picture could not be drawn, in words for the student.
    public struct Failure: Error {
        public let message: String
    }

    static let missing = "render() needs Graphviz's dot program, which was not found on PATH; install Graphviz (Debian and Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz), or write the DOT text with dot(f, \"f.dot\")"

    /// The full path of `dot`, or nil.
    public static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let full = String(dir) + "/dot"
            if FileManager.default.isExecutableFile(atPath: full) { return full }
        }
        return nil
    }

    public static func run(_ text: String, format: String) throws(Failure) -> [UInt8] {
        guard let dot = find() else { throw Failure(message: missing) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dot)
        p.arguments = ["-T\(format)"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        do { try p.run() } catch { throw Failure(message: "render(): cannot run '\(dot)': \(error.localizedDescription)") }
        // the picture and the messages are read while dot runs (a full pipe would block it)
        let box = OutputBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            box.set(errors.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let picture = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        group.wait()
        guard p.terminationStatus == 0 else {
            let message = String(decoding: box.get(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(message: "render(): Graphviz's dot failed (status \(p.terminationStatus))\(message.isEmpty ? "" : ": " + message)")
        }
        return [UInt8](picture)
    }

    /// The standard error read on another thread.
    final class OutputBox: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }
}
