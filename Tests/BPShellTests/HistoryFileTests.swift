import Foundation
import Testing
@testable import BPShell

@Suite struct HistoryFileTests {
    func tempPath() -> String { NSTemporaryDirectory() + "bp-history-\(UUID().uuidString)" }

    @Test func entriesRoundTripWithNewlinesAndBackslashes() {
        let h = HistoryFile(path: tempPath())
        h.append("x = 1")
        h.append("def f(x) {\n  return x \\ 2\n}")
        #expect(h.load() == ["x = 1", "def f(x) {\n  return x \\ 2\n}"])
    }

    @Test func capKeepsTheNewestEntries() {
        let h = HistoryFile(path: tempPath(), limit: 10)
        for i in 0..<25 { h.append("line \(i)") }
        #expect(h.load() == (15..<25).map { "line \($0)" })
    }

    /// Two shells writing at once: every entry of both survives (appends under flock).
    @Test func concurrentWritersLoseNothing() {
        let path = tempPath()
        let a = HistoryFile(path: path, limit: 1000), b = HistoryFile(path: path, limit: 1000)
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            for i in 0..<200 { (w == 0 ? a : b).append("w\(w) \(i)") }
        }
        let lines = Set(a.load())
        #expect(lines.count == 400)
        #expect(lines.contains("w0 199") && lines.contains("w1 0"))
    }

    @Test func concurrentWritersPastTheCapKeepExactlyTheCap() {
        let path = tempPath()
        let a = HistoryFile(path: path, limit: 50), b = HistoryFile(path: path, limit: 50)
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            for i in 0..<100 { (w == 0 ? a : b).append("w\(w) \(i)") }
        }
        let lines = a.load()
        #expect(lines.count == 50)
        #expect(lines.allSatisfy { $0.hasPrefix("w0 ") || $0.hasPrefix("w1 ") }, "no torn lines")
    }

    @Test func bpHistoryVariableNamesTheFile() {
        setenv("BP_HISTORY", "/tmp/somewhere", 1)
        defer { unsetenv("BP_HISTORY") }
        #expect(HistoryFile.defaultPath() == "/tmp/somewhere")
    }
}
