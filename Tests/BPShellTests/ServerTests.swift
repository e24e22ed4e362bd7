import Foundation
import Testing
@testable import BPLang
@testable import BPShell

/// `bp --serve` (docs/serve-protocol.md) driven in process: requests in, JSON lines out.
@Suite struct ServerTests {
    /// A server whose lines are collected, and the messages each request produced.
    final class Harness {
        var lines: [String] = []
        lazy var server = Server(session: Session(), send: { [unowned self] in self.lines.append($0) })

        func request(_ r: [String: Any]) -> [[String: Any]] {
            lines = []
            let data = try! JSONSerialization.data(withJSONObject: r)
            server.handle(String(decoding: data, as: UTF8.self))
            return lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        }

        func execute(_ code: String, id: Int = 1) -> [[String: Any]] { request(["type": "execute", "id": id, "code": code]) }
    }

    func text(_ ms: [[String: Any]], _ stream: String = "stdout") -> String {
        ms.filter { $0["type"] as? String == "stream" && $0["name"] as? String == stream }.map { $0["text"] as! String }.joined()
    }

    @Test func backwardStreamsTheGradientsThenDone() {
        let h = Harness()
        let ms = h.execute("a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f)", id: 7)
        #expect(text(ms) == "df/da = 5\ndf/db = 8\ndf/dc = 3\n")
        #expect(ms.last?["type"] as? String == "done" && ms.last?["status"] as? String == "ok")
        #expect(ms.allSatisfy { $0["id"] as? Int == 7 })
    }

    @Test func variablesLiveAcrossCellsAndValuesAreResults() {
        let h = Harness()
        _ = h.execute("x = 20")
        let ms = h.execute("x + 22")
        let result = ms.first { $0["type"] as? String == "result" }
        #expect((result?["data"] as? [String: String])?["text/plain"] == "42")
        #expect(h.execute("x + 1;").allSatisfy { $0["type"] as? String != "result" })  // a trailing ';' hides it
    }

    @Test func anErrorIsStructuredAndLocated() {
        let h = Harness()
        let ms = h.execute("y = 1\nprint(y)\nzz + 1")
        #expect(text(ms) == "1\n")
        let done = ms.last!
        #expect(done["status"] as? String == "error")
        let e = done["error"] as! [String: Any]
        #expect(e["name"] as? String == "RuntimeError")
        #expect(e["message"] as? String == "unknown name 'zz'")
        #expect(e["line"] as? Int == 3 && e["column"] as? Int == 1)
        #expect(e["source_line"] as? String == "zz + 1")
        #expect((e["text"] as? String)?.contains("^") == true)
        #expect((h.execute("1 +* 2").last?["error"] as? [String: Any])?["name"] as? String == "SyntaxError")
    }

    /// An unfinished cell cannot wait for more lines: it is a located syntax error.
    @Test func anUnfinishedCellIsALocatedSyntaxError() {
        let e = Harness().execute("x = 1\ndef f(x) = x +").last?["error"] as? [String: Any]
        #expect(e?["name"] as? String == "SyntaxError")
        #expect(e?["line"] as? Int == 2)
        #expect(e?["source_line"] as? String == "def f(x) = x +")
    }

    @Test func plotsAreSVGAndVarsAreHTML() {
        let h = Harness()
        let plot = h.execute("plot([3, 2, 1])").first { $0["type"] as? String == "display" }
        #expect((plot?["data"] as? [String: String])?["image/svg+xml"]?.contains("<svg") == true)
        // a :command on a line of its own runs as at the prompt, after the code before it
        let ms = h.execute("x = 1\n:vars\nprint(x + 1)")
        let vars = ms.first { $0["type"] as? String == "display" }
        #expect((vars?["data"] as? [String: String])?["text/html"]?.hasPrefix("<table>") == true)
        #expect(text(ms) == "2\n")
        // lines keep their numbers in the cell
        #expect((h.execute("x = 1\n:vars\nzz").last?["error"] as? [String: Any])?["line"] as? Int == 3)
    }

    /// render(f, file) writes the file and shows the picture (with Graphviz installed).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot")))
    func renderAlsoShowsThePicture() throws {
        let h = Harness()
        let file = NSTemporaryDirectory() + "bp-serve-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let ms = h.execute("a = 1; b = 2; f = a * b; render(f, \"\(file)\")")
        let png = (ms.first { $0["type"] as? String == "display" }?["data"] as? [String: String])?["image/png"]
        #expect(png.flatMap { Data(base64Encoded: $0) } == FileManager.default.contents(atPath: file))
    }

    @Test func trainingProgressIsOneUpdatedDisplay() {
        let h = Harness()
        let ms = h.execute("X = [[0, 0], [0, 1], [1, 0], [1, 1]]; y = [[0], [1], [1], [0]]; net = mlp([2, 3, 1]); h = train(net, X, y, epochs=50)")
        let displays = ms.filter { $0["type"] as? String == "display" }
        #expect(displays.count == 1)
        let id = displays.first?["display_id"] as? String
        #expect(ms.filter { $0["type"] as? String == "update" }.allSatisfy { $0["display_id"] as? String == id })
        #expect(text(ms).contains("trained 50 epochs"))
        // the last update says training ended
        let last = ms.last { $0["type"] as? String == "update" }
        #expect((last?["data"] as? [String: String])?["text/plain"]?.contains("epoch 50/50") == true)
        #expect((last?["data"] as? [String: String])?["text/plain"]?.contains("done after") == true)
    }

    @Test func completionAndInspection() {
        let h = Harness()
        let c = h.request(["type": "complete", "id": 2, "code": "x = sigm", "cursor": 8]).last!
        #expect((c["matches"] as? [String])?.contains("sigmoid") == true)
        #expect(c["cursor_start"] as? Int == 4 && c["cursor_end"] as? Int == 8)
        let i = h.request(["type": "inspect", "id": 3, "code": "sigmoid(z)", "cursor": 2]).last!
        #expect(i["found"] as? Bool == true && (i["text"] as? String)?.hasPrefix("sigmoid(x)") == true)
        #expect(h.request(["type": "inspect", "id": 4, "code": "qqq", "cursor": 1]).last?["found"] as? Bool == false)
    }

    @Test func badRequestsAreProtocolErrors() {
        let h = Harness()
        h.lines = []
        h.server.handle("not json")
        #expect(h.lines.first?.contains("protocol_error") == true)
        #expect(h.request(["type": "nonsense", "id": 1]).first?["type"] as? String == "protocol_error")
        #expect(h.execute("1 + 1").last?["status"] as? String == "ok")  // and it goes on
    }

    /// The engine's notes (a very long chain) reach the session's note output, not the
    /// process's standard error.
    @Test func engineNotesGoWhereTheInterpretersNotesGo() {
        let i = Interpreter()
        var notes = ""
        i.noteOutput = { notes += $0 }
        i.engine.note("note: test")
        #expect(notes == "note: test\n")
    }
}
