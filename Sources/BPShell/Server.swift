import BPLang
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `bp --serve`: one session driven by JSON lines (docs/serve-protocol.md), for the Jupyter
/// kernel. A request per line on standard input; every reply, output, picture and error is a
/// JSON object on a line of standard output. A cell runs as a shell input does (meta
/// commands, `?name`, statements with their values shown); SIGINT stops it as Ctrl-C does.
public final class Server {
    let session: Session
    /// Writes one line of standard output (and flushes): the only writer of it.
    let send: (String) -> Void
    /// The request being answered.
    var id: Any = NSNull()
    /// Printed text not yet sent, by stream: coalesced so a loop of prints is a few messages.
    var pending: [(name: String, text: String)] = []
    var pendingSince = 0.0
    /// The structured error of the running cell, if it stopped with one.
    var error: (BPError, String)? = nil
    /// What the running cell wrote to standard error (a meta command's usage message).
    var errorText = ""
    var displays = 0

    /// Sends pending output at least this often (seconds) while a cell runs.
    static let flushInterval = 0.05

    public init(session: Session, send: @escaping (String) -> Void = Server.writeLine) {
        self.session = session
        self.send = send
        let interp = session.interp
        interp.output = { [unowned self] in self.stream("stdout", $0) }
        session.errorOutput = { [unowned self] in
            self.errorText += $0
            self.stream("stderr", $0)
        }
        session.errorObserver = { [unowned self] e, text in self.error = (e, text) }
        session.valueOutput = { [unowned self] in self.message(["type": "result", "data": ["text/plain": $0]]) }
        interp.displayOutput = { [unowned self] in self.display($0.data, id: nil) }
        interp.trainingProgress = Progress(server: self)
        interp.terminalSize = nil
    }

    public static func writeLine(_ s: String) {
        StandardStreams.output(s + "\n")
        StandardStreams.flushOutput()
    }

    /// Reads requests until the end of input or `shutdown`; returns the exit status.
    public func run() -> Int32 {
        while let line = readLine(strippingNewline: true) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if handle(line) == false { return 0 }
        }
        return 0
    }

    /// Answers one request; false after `shutdown`.
    @discardableResult
    public func handle(_ line: String) -> Bool {
        guard let data = line.data(using: .utf8),
              let request = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            id = NSNull()
            message(["type": "protocol_error", "message": "a request is one JSON object on a line"])
            return true
        }
        id = request["id"] ?? NSNull()
        switch request["type"] as? String {
        case "execute":
            guard let code = request["code"] as? String else { return protocolError("execute needs 'code', a string") }
            execute(code)
        case "complete":
            guard let code = request["code"] as? String else { return protocolError("complete needs 'code', a string") }
            complete(code, cursor: request["cursor"] as? Int ?? code.unicodeScalars.count)
        case "inspect":
            guard let code = request["code"] as? String else { return protocolError("inspect needs 'code', a string") }
            inspect(code, cursor: request["cursor"] as? Int ?? code.unicodeScalars.count)
        case "shutdown":
            message(["type": "shutdown_reply"])
            return false
        default:
            return protocolError("unknown request type '\(request["type"] ?? "none")' (execute, complete, inspect, shutdown)")
        }
        return true
    }

    func protocolError(_ text: String) -> Bool {
        message(["type": "protocol_error", "message": text])
        return true
    }

    // MARK: execute

    func execute(_ code: String) {
        error = nil
        errorText = ""
        // a SIGINT that came while no cell ran is not this cell's
        session.interp.interruptFlag.pointee = 0
        let outcome = run(cell: code)
        flush()
        // an unfinished input cannot wait for more here: its syntax error, located
        if outcome == .needsMore, error == nil, let e = session.syntaxErrors(code).first {
            error = (e, e.render(file: nil, source: code))
        }
        var done: [String: Any] = ["type": "done"]
        if let (e, text) = error {
            let name = e.kind == .syntax ? "SyntaxError" : e.kind == .interrupted ? "Interrupted" : "RuntimeError"
            var info: [String: Any] = ["name": name, "message": e.message, "text": text]
            if let loc = e.location {
                info["line"] = loc.line
                info["column"] = loc.column
                let lines = (e.source ?? code).components(separatedBy: "\n")
                if loc.line >= 1 && loc.line <= lines.count { info["source_line"] = lines[loc.line - 1] }
            }
            done["status"] = e.kind == .interrupted ? "interrupted" : "error"
            done["error"] = info
        } else if outcome == .failed || outcome == .needsMore {
            let text = outcome == .needsMore ? "the input is unfinished: an open bracket, brace or string, or a trailing operator"
                : errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            done["status"] = "error"
            done["error"] = ["name": outcome == .needsMore ? "SyntaxError" : "Error", "message": text, "text": text]
        } else {
            done["status"] = "ok"
        }
        message(done)
    }

    /// Runs a cell: its code, and a `:command` or `?name` on a line of its own (outside a
    /// block) as at the prompt, in order, until one fails. Code keeps its line numbers in
    /// the cell (it is run after as many empty lines as come before it).
    func run(cell: String) -> Session.Outcome {
        let lines = cell.components(separatedBy: "\n")
        var start = 0
        for (k, line) in lines.enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix(":") || t.hasPrefix("?") else { continue }
            let before = lines[start..<k].joined(separator: "\n")
            if !before.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                let outcome = session.evaluate(String(repeating: "\n", count: start) + before)
                if outcome == .needsMore { continue }  // the line is inside a block
                if outcome != .done { return outcome }
            }
            let outcome = session.evaluate(t)
            if outcome != .done { return outcome }
            start = k + 1
        }
        let rest = lines[start...].joined(separator: "\n")
        return session.evaluate(String(repeating: "\n", count: start) + rest)
    }

    // MARK: output

    /// Printed text, coalesced with what is pending on the same stream.
    func stream(_ name: String, _ text: String) {
        if text.isEmpty { return }
        if let last = pending.last, last.name == name {
            pending[pending.count - 1].text += text
        } else {
            if pending.isEmpty { pendingSince = ProgressBar.now() }
            pending.append((name, text))
        }
        if ProgressBar.now() - pendingSince >= Server.flushInterval || pending.reduce(0, { $0 + $1.text.utf8.count }) > 1 << 16 {
            flush()
        }
    }

    /// Sends the pending output (before any other message, so the order is kept).
    func flush() {
        let out = pending
        pending = []
        for p in out { emit(["type": "stream", "name": p.name, "text": p.text]) }
    }

    func message(_ fields: [String: Any]) {
        flush()
        emit(fields)
    }

    func emit(_ fields: [String: Any]) {
        var m = fields
        m["id"] = id
        guard let data = try? JSONSerialization.data(withJSONObject: m, options: [.withoutEscapingSlashes]) else { return }
        send(String(decoding: data, as: UTF8.self))
    }

    /// A new display; returns its id.
    @discardableResult
    func display(_ data: [String: String], id displayID: String?) -> String {
        displays += 1
        let key = displayID ?? "bp-display-\(displays)"
        message(["type": "display", "data": data, "display_id": key])
        return key
    }

    func update(_ data: [String: String], id displayID: String) {
        message(["type": "update", "data": data, "display_id": displayID])
    }

    // MARK: complete and inspect

    /// The scalars of `code` and the cursor clamped into it.
    static func scalars(_ code: String, _ cursor: Int) -> ([Unicode.Scalar], Int) {
        let s = Array(code.unicodeScalars)
        return (s, max(0, min(cursor, s.count)))
    }

    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "." || c == ":" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    func complete(_ code: String, cursor: Int) {
        let (s, end) = Server.scalars(code, cursor)
        var start = end
        while start > 0, Server.isWordScalar(s[start - 1]) { start -= 1 }
        // a meta command only at the start of its line
        let word = String(String.UnicodeScalarView(s[start..<end]))
        var lineStart = start
        while lineStart > 0, s[lineStart - 1] != "\n" { lineStart -= 1 }
        let before = String(String.UnicodeScalarView(s[lineStart..<start]))
        let matches = session.completions(for: word, before: before)
        message(["type": "complete_reply", "matches": matches, "cursor_start": start, "cursor_end": end])
    }

    func inspect(_ code: String, cursor: Int) {
        let (s, at) = Server.scalars(code, cursor)
        var start = at, end = at
        func name(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) }
        while start > 0, name(s[start - 1]) { start -= 1 }
        while end < s.count, name(s[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(s[start..<end]))
        guard !word.isEmpty else {
            message(["type": "inspect_reply", "found": false, "name": "", "text": ""])
            return
        }
        let text = session.help(word)
        let found = !text.hasPrefix("no help for")
        message(["type": "inspect_reply", "found": found, "name": word, "text": text])
    }

    // MARK: train's progress

    /// `train`'s progress as one display updated in place, at most ten times a second.
    final class Progress: TrainingProgress {
        unowned let server: Server
        var epochs = 0, started = 0.0, lastDraw = -1.0
        var displayID: String? = nil
        var last: (epoch: Int, loss: Double)? = nil

        init(server: Server) { self.server = server }

        func start(epochs: Int) {
            self.epochs = epochs
            started = ProgressBar.now()
            lastDraw = -1
            displayID = nil
            last = nil
        }

        func line(_ epoch: Int, _ loss: Double) -> String {
            ProgressBar.line(epoch: epoch + 1, of: epochs, loss: loss, seconds: ProgressBar.now() - started, width: 100)
        }

        func epoch(_ epoch: Int, loss: Double) {
            last = (epoch, loss)
            let t = ProgressBar.now()
            guard lastDraw < 0 || t - lastDraw >= ProgressBar.interval else { return }
            lastDraw = t
            draw(epoch, loss)
        }

        func draw(_ epoch: Int, _ loss: Double) {
            let data = ["text/plain": line(epoch, loss)]
            if let id = displayID { server.update(data, id: id) } else { displayID = server.display(data, id: nil) }
        }

        func finish() {
            // the line stays, showing where training ended (no time left to estimate)
            if let (epoch, loss) = last, let id = displayID {
                let seconds = ProgressBar.now() - started
                let end = epoch + 1 < epochs ? "stopped" : "done"
                let text = "epoch \(epoch + 1)/\(epochs)  loss " + String(format: "%.4g", loss)
                    + "  \(end) after " + ProgressBar.duration(seconds)
                server.update(["text/plain": text], id: id)
            }
            displayID = nil
        }
    }
}
