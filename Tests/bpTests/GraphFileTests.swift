import Foundation
import Testing

/// `dot(f, file)` and `render(f, file)` through the binary: the DOT text a file gets, the
/// picture Graphviz draws from it, and the error where Graphviz's `dot` program is missing.
@Suite struct GraphFileTests {
    let lesson = "a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f)\n"

    func temporary(_ ext: String) -> String { NSTemporaryDirectory() + "bp-graph-\(UUID().uuidString).\(ext)" }

    /// One box per node with label, operation, value and grad; an arrow from each input to its
    /// user; b, used twice, is one box with two arrows out.
    @Test func dotWritesEveryNodeAndEdge() throws {
        let file = temporary("dot")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try bp(["-e", lesson + "dot(f, \"\(file)\")"])
        #expect(r.status == 0, "\(r.err)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("digraph"))
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("}"))
        let boxes = text.split(separator: "\n").filter { $0.contains("[label=") }
        #expect(boxes.count == 6, "\(text)")  // a, b, c, a + b, b + c, f
        let edges = text.split(separator: "\n").filter { $0.contains("->") }
        #expect(edges.count == 6, "\(text)")  // a, b into (a + b); b, c into (b + c); both into f
        for piece in ["grad 8", "grad 5", "grad 3", "15"] { #expect(text.contains(piece), "\(piece): \(text)") }
    }

    /// Where `dot` is not on PATH, render says how to install Graphviz and writes nothing.
    @Test func renderWithoutGraphvizSaysHowToInstallIt() throws {
        let file = temporary("svg")
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = "/nonexistent"
        let r = try bp(["-e", lesson + "render(f, \"\(file)\")"], environment: env)
        #expect(r.status == 1)
        #expect(r.err.contains("render() needs Graphviz's dot program, which was not found on PATH; install Graphviz (Debian and Ubuntu: sudo apt-get install graphviz"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// With Graphviz installed (scripts/setup installs it), render writes an SVG picture.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot")))
    func renderDrawsAnSVG() throws {
        let file = temporary("svg")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try bp(["-e", lesson + "render(f, \"\(file)\")"])
        #expect(r.status == 0, "\(r.err)")
        let svg = try String(contentsOfFile: file, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("grad 8"), "\(svg.prefix(300))")
    }
}
