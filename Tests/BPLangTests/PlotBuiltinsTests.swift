import Foundation
import Testing
@testable import BPLang
import BPTestSupport

@Suite struct PlotBuiltinsTests {
    static let history = "h = []; for k in range(100) { append(h, exp(-k / 20)) }\n"

    @Test func withoutATerminalAPlotIs72By18() {
        let lines = output(Self.history + "plot(h)").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 18)
        #expect(lines.allSatisfy { $0.count == 72 })
    }

    @Test func onATerminalAPlotTakesItsWidth() {
        let c = CapturedSession()
        c.interp.terminalSize = TerminalSize(columns: 100, rows: 40)
        #expect(c.run(Self.history + "plot(h, log=true)") == .ok, "\(c.err)")
        let lines = c.out.split(separator: "\n")
        #expect(lines.count == 24)
        #expect(lines.allSatisfy { $0.count == 99 })
        #expect(c.out.contains("0.01 ┤"))
    }

    @Test func aPlotToAFileWritesAnSVGAndPrintsNothing() throws {
        let dir = NSTemporaryDirectory() + "bp-plot-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = CapturedSession()
        c.interp.workingDirectory = dir
        #expect(c.run(Self.history + "plot(h, file=\"loss.svg\", title=\"training loss\")\nplot(arange(5), arange(5) ^ 2, file=\"sq.svg\")") == .ok, "\(c.err)")
        #expect(c.out == "")
        let svg = try String(contentsOfFile: dir + "/loss.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<polyline") && svg.contains(">training loss</text>"))
        #expect(svg.contains(">epoch</text>") && svg.contains(">h</text>"))
        #expect(FileManager.default.fileExists(atPath: dir + "/sq.svg"))
    }

    @Test func boundaryEvaluatesTheModelWithoutRecordingAGraph() {
        // w is a leaf; the model's output would be a node if boundary recorded it
        let r = run("""
            w = 4
            seen = []
            def f(X) {
                p = sigmoid(w * (X[:, 0] - X[:, 1]))
                append(seen, p)
                return p
            }
            X = [[0, 1], [1, 0], [0.5, 0.4]]
            boundary(f, X, [0, 1, 1])
            print(len(seen), shape(seen[0]))
            grad(seen[0][0], w)
            """)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 18 + 1)
        // one call on the 72 × 18 grid, whose answer is a constant, not a node of w's graph
        #expect(lines.last == "1 [1296]")
        #expect(r.err.contains("11:1: error: grad(y, x): 'seen[0][0]' is a constant outside every graph"), "\(r.err)")
        #expect(r.out.contains("o") && r.out.contains("x"))
    }

    @Test func recordingIsOnAgainAfterBoundary() {
        let r = run("w = 2\ndef f(X) = sigmoid(w * X[:, 0])\nboundary(f, [[0, 1], [1, 0]], [0, 1])\nz = w * 3\nbackward(z)\nprint(w.grad)")
        #expect(r.status == .ok, "\(r.err)")
        #expect(r.out.hasSuffix("\n3\n"))
    }

    @Test func logitsAreReadThroughSigmoidAndSeveralColumnsByArgmax() {
        // a linear model's raw scores (logits) and a three-class model both draw
        let logits = output("def f(X) = 10 * X[:, 0]\nboundary(f, [[-1, 0], [1, 0]], [0, 1])")
        #expect(logits.contains("░") && logits.contains("·"))
        let three = output("def f(X) = column_stack([X[:, 0], X[:, 1], -X[:, 0]])\nboundary(f, [[-1, 0], [1, 0], [0, 1]], [2, 0, 1])")
        #expect(three.contains("2") && three.contains("▒"))
    }

    @Test func boundaryTakesANetwork() {
        let out = output("seed(0)\nX, y = xor()\nnet = mlp([2, 4, 1])\nboundary(net, X, y)\nprint(len(params(net)))")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 19 && lines.last == "4")
        #expect(out.contains("o") && out.contains("x"))
    }
}
