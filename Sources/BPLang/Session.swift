import BPTensor
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program being run: scripts, `-e` code and the shell all go through a session.
/// It parses, compiles and runs one top-level statement at a time, so an error or an
/// interrupt leaves every variable as the last finished statement left it.
public final class Session {
    public let interp: Interpreter
    /// Where error reports go (standard error by default).
    public var errorOutput: (String) -> Void = StandardStreams.error
    /// Told of every error an input stops with, located, with the report the shell would
    /// print; when set, the report is not written to `errorOutput` (`bp --serve` sends it
    /// as a structured message).
    public var errorObserver: ((BPError, _ report: String) -> Void)? = nil
    /// Where the shell's input shows the value of an expression statement; nil: printed on
    /// the interpreter's output (`bp --serve` sends it as a result).
    public var valueOutput: ((String) -> Void)? = nil
    /// The inputs that ran without error, for `:save`.
    public internal(set) var history: [String] = []

    /// Every public entry takes the engine lock (`EngineLock`): sessions on several threads
    /// take turns, a top-level statement at a time.
    public init(interp: Interpreter = Interpreter()) {
        self.interp = interp
        EngineLock.run { interp.noteOutput = { [unowned self] in self.errorOutput($0) } }
    }

    /// Exit statuses of the command line.
    public enum Status: Int32 { case ok = 0, runtimeError = 1, syntaxError = 2, interrupted = 130 }

    /// Parses and compiles; returns the compiled statements or the syntax errors.
    func compile(_ source: String) -> (code: [(exec: Exec, value: Code?)], program: Program, errors: [BPError]) {
        // every run starts here, on the thread that runs it: guard that thread's stack, and
        // let its kernels see this session's engine (the interrupt flag)
        interp.stackGuard = StackGuard()
        interp.engine.makeCurrent()
        let (program, parseErrors) = Parser.parse(source)
        var compiler = Compiler(interp: interp, scalars: Array(source.unicodeScalars))
        let code = program.statements.map { compiler.topLevel($0) }
        let errors = (parseErrors + compiler.errors).sorted {
            ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
        }
        return (code, program, errors)
    }

    /// Reports an error that stopped an input (`file` nil: the shell's, located by line
    /// and column alone), and returns the status it gives.
    @discardableResult
    public func report(_ error: Error, file: String?, source: String?) -> Status {
        EngineLock.run { reportLocked(error, file: file, source: source) }
    }

    private func reportLocked(_ error: Error, file: String?, source: String?) -> Status {
        guard let e = error as? BPError else {
            errorOutput((file.map { "\($0): " } ?? "") + "error: \(error)\n")
            return .runtimeError
        }
        // the interrupt is handled once it is reported: the next input runs
        if e.kind == .interrupted { interp.interruptFlag.pointee = 0 }
        let text = e.render(file: file, source: source)
        if let errorObserver { errorObserver(e, text) } else { errorOutput(text + "\n") }
        switch e.kind {
        case .syntax: return .syntaxError
        case .interrupted: return .interrupted
        default: return .runtimeError
        }
    }

    /// The syntax errors of `source`, located (none when it parses).
    public func syntaxErrors(_ source: String) -> [BPError] { EngineLock.run { compile(source).errors } }

    /// `bp --check`: every syntax error, reported; status 0 or 2.
    public func check(_ source: String, file: String) -> Status {
        EngineLock.run {
            let errors = compile(source).errors
            for e in errors { report(e, file: file, source: source) }
            return errors.isEmpty ? .ok : .syntaxError
        }
    }

    /// The one path of every input, a whole script or one shell entry, once compiled:
    /// syntax errors are all reported and nothing runs; otherwise the statements run in
    /// order until one fails, and its error is reported. `show(k)` handles statement k's
    /// value (see `run`); `keep(completed)` is told how many statements completed, before
    /// any error is reported, so that `:save` can keep them.
    func execute(_ compiled: (code: [(exec: Exec, value: Code?)], program: Program, errors: [BPError]),
                 source: String, file: String?,
                 show: (Int) -> ((Value) -> Void)?, keep: (_ completed: Int) -> Void) -> Status {
        if !compiled.errors.isEmpty {
            for e in compiled.errors { report(e, file: file, source: source) }
            return .syntaxError
        }
        let (completed, error) = run(compiled.code, show: show)
        keep(completed)
        // Ctrl-C that a builtin let finish its step (train stops after the current epoch and
        // returns what it has): the input still ends as interrupted
        let pending = interp.interruptFlag.pointee != 0 ? BPError(.interrupted, "interrupted", at: nil) : nil
        guard let error = error ?? pending else { return .ok }
        return report(error, file: file, source: source)
    }

    /// Runs a whole script. With `printLast`, the value of a final expression statement is
    /// printed (`bp -e`). With `record`, the text of the statements that completed is kept
    /// for `:save` under a comment `# from RECORD` (`:load lib.bp`, `bp -i lib.bp`).
    public func runScript(_ source: String, file: String, printLast: Bool = false, record: String? = nil) -> Status {
        EngineLock.run { runScriptLocked(source, file: file, printLast: printLast, record: record) }
    }

    private func runScriptLocked(_ source: String, file: String, printLast: Bool, record: String?) -> Status {
        let compiled = compile(source)
        let (code, program) = (compiled.code, compiled.program)
        return execute(compiled, source: source, file: file, show: { k in
            // a trailing ';' hides the value, as in the shell
            guard printLast, k == code.count - 1, !program.lastHidden else { return nil }
            return { [interp] v in if case .none = v {} else { interp.write(interp.formatter.string(v) + "\n") } }
        }, keep: { completed in
            guard let record, completed > 0 else { return }
            let text = completed == code.count ? source : Session.text(of: program, count: completed, in: source)
            history.append("# from \(record)\n" + text.trimmingTrailingNewlines())
        })
    }

    /// Runs compiled statements in order until one fails. `show(k)` is asked for the
    /// handler of statement k's value (nil: run it as a statement). Returns how many
    /// statements completed and the error that stopped the rest.
    func run(_ code: [(exec: Exec, value: Code?)], show: (Int) -> ((Value) -> Void)?) -> (completed: Int, error: Error?) {
        for (k, c) in code.enumerated() {
            // a session on another thread waiting for the engine runs its statement first
            if k > 0 { EngineLock.yield() }
            do {
                try interp.checkInterrupt()  // straight-line code stops too
                interp.listsGradients = false
                if let value = c.value, let handle = show(k) {
                    handle(try value(interp))
                } else {
                    _ = try c.exec(interp)
                }
            } catch let e as TensorError {
                return (k, BPError(e, at: nil))  // a kernel's error (Ctrl-C) that no caller placed
            } catch {
                return (k, error)
            }
        }
        return (code.count, nil)
    }

    /// The source text of the first `count` top-level statements, from the first one's
    /// start to the end of the last (what lies between them kept as written).
    static func text(of program: Program, count: Int, in source: String) -> String {
        guard count > 0 else { return "" }
        let scalars = Array(source.unicodeScalars)
        let start = program.statements[0].pos.start, end = program.statements[count - 1].pos.end
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[max(0, start)..<min(end, scalars.count)])
        return text
    }

    /// Reads and runs a script file; a file that cannot be read is a runtime error.
    public func runFile(_ path: String, printLast: Bool = false, record: String? = nil) -> Status {
        withScript(Session.read(path), file: path) { runScript($0, file: path, printLast: printLast, record: record) }
    }

    /// Reads and runs standard input as a script named `<stdin>` (`bp -`, `bp < file`).
    public func runStandardInput(record: String? = nil) -> Status {
        withScript(Session.readStandardInput(), file: "<stdin>") { runScript($0, file: "<stdin>", record: record) }
    }

    /// Hands a script's text to `body`, or reports why it could not be read (a runtime
    /// error; a syntax error when it is not UTF-8) and returns that status.
    public func withScript(_ text: Result<String, BPError>, file: String, _ body: (String) -> Status) -> Status {
        // not holding the lock around `body`: a script it runs (`runScript`, which takes it)
        // would hold it twice and never let another session's statement in between
        switch text {
        case .success(let text): return body(text)
        case .failure(let e): return report(e, file: file, source: nil)
        }
    }

    /// The largest script read: past it `bp < /dev/zero` would eat all memory.
    public static let maxScriptBytes = 256 << 20

    /// The text of a script: a readable UTF-8 file (invalid UTF-8 is a syntax error).
    /// Plain open/read: FileManager's reads trap on some inputs and say "permission denied"
    /// for anything they cannot read (a device, a fifo); the message here comes from errno.
    public static func read(_ path: String) -> Result<String, BPError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.runtime("cannot read '\(path)': \(Session.reason(errno))")) }
        defer { close(fd) }
        return readText(fd, name: "'\(path)'")
    }

    /// All of standard input as text (`bp -`, `bp < file`).
    public static func readStandardInput() -> Result<String, BPError> {
        readText(0, name: "standard input")
    }

    /// Everything left on a descriptor, as UTF-8 text without a leading byte order mark;
    /// at most `maxScriptBytes`. Invalid UTF-8 is a syntax error at its first bad byte.
    static func readText(_ fd: Int32, name: String) -> Result<String, BPError> {
        let tooLarge = BPError.runtime("the script is larger than \(maxScriptBytes >> 20) MiB")
        var bytes: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG {
            guard st.st_size <= maxScriptBytes else { return .failure(tooLarge) }
            bytes.reserveCapacity(Int(st.st_size) + 1)
        }
        // 64 KiB at a time: a zeroed 1 MiB chunk was a tenth of a small script's whole run
        // (callgrind: memset and its page faults)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.runtime("cannot read \(name): \(Session.reason(errno))"))
            }
            guard bytes.count + n <= maxScriptBytes else { return .failure(tooLarge) }
            bytes += chunk[..<n]
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = bytes.starts(with: bom) ? bytes[3...] : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else { return .failure(invalidUTF8(body)) }
        return .success(text)
    }

    /// The syntax error for text that is not UTF-8: at the line and column (in scalars) of
    /// the first bad byte, with that line shown (the bad bytes as U+FFFD).
    static func invalidUTF8(_ bytes: ArraySlice<UInt8>) -> BPError {
        var parser = Unicode.UTF8.ForwardParser()
        var input = bytes.makeIterator()
        var offset = bytes.startIndex, line = 1, column = 1, lineStart = offset
        while case .valid(let scalar) = parser.parseScalar(from: &input) {
            offset += scalar.count
            if scalar.count == 1 && scalar.first == 0x0A {
                line += 1
                column = 1
                lineStart = offset
            } else {
                column += 1
            }
        }
        let bad = offset < bytes.endIndex ? bytes[offset] : 0
        let lineEnd = bytes[offset...].firstIndex(of: 0x0A) ?? bytes.endIndex
        var e = BPError(.syntax, "this is not UTF-8 text (the byte 0x\(String(bad, radix: 16, uppercase: true))); save the script as UTF-8",
                        at: SourceLocation(line: line, column: column))
        e.source = String(repeating: "\n", count: line - 1) + String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        return e
    }

    /// Why a file could not be read, in words.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EISDIR: return "it is a directory"
        case EACCES, EPERM: return "permission denied"
        case EBADF: return "it is closed"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    // MARK: the shell

    /// What the shell should do after an input.
    public enum Outcome: Equatable {
        case done
        /// The input is unfinished (open bracket, brace or string, trailing operator).
        case needsMore
        case failed
        case quit
    }

    /// Runs one shell input (possibly several lines): meta commands, `?name`, statements.
    /// Values of expression statements are printed; a trailing `;` hides the last one.
    public func evaluate(_ input: String) -> Outcome {
        EngineLock.run { evaluateLocked(input) }
    }

    private func evaluateLocked(_ input: String) -> Outcome {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .done }
        if trimmed.hasPrefix(":") { return meta(trimmed) }
        if trimmed.hasPrefix("?") {
            interp.write(help(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)) + "\n")
            return .done
        }
        let compiled = compile(input)
        if compiled.errors.first?.atEnd == true { return .needsMore }
        let (code, program) = (compiled.code, compiled.program)
        let wasInteractive = interp.interactive
        interp.interactive = true
        defer { interp.interactive = wasInteractive }
        let status = execute(compiled, source: input, file: nil, show: { [interp] k in
            let hidden = k == code.count - 1 && program.lastHidden
            // backward(f) typed at the prompt lists the gradients; in a loop, a function
            // or behind a ';' it does not
            interp.listsGradients = !hidden
            return { v in
                if case .none = v {} else if !hidden {
                    let text = interp.formatter.repr(v)
                    if let valueOutput = self.valueOutput { valueOutput(text) } else { interp.write(text + "\n") }
                    interp.define("_", v)
                }
            }
        }, keep: { completed in
            // the statements that ran before an error stay, and :save keeps them
            if completed == code.count { history.append(input) }
            else if completed > 0 { history.append(Session.text(of: program, count: completed, in: input)) }
        })
        return status == .ok ? .done : .failed
    }
}

extension String {
    /// Without the line ends at the end (counted in scalars: "\r\n" is one Character).
    func trimmingTrailingNewlines() -> String {
        var s = self
        while let last = s.unicodeScalars.last, last == "\n" || last == "\r" { s.unicodeScalars.removeLast() }
        return s
    }
}
