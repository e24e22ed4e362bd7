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
        // each writer has its own HistoryFile, as two shells do
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            let h = HistoryFile(path: path, limit: 1000)
            for i in 0..<200 { h.append("w\(w) \(i)") }
        }
        let lines = Set(HistoryFile(path: path, limit: 1000).load())
        #expect(lines.count == 400)
        #expect(lines.contains("w0 199") && lines.contains("w1 0"))
    }

    @Test func concurrentWritersPastTheCapKeepExactlyTheCap() {
        let path = tempPath()
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            let h = HistoryFile(path: path, limit: 50)
            for i in 0..<100 { h.append("w\(w) \(i)") }
        }
        let lines = HistoryFile(path: path, limit: 50).load()
        #expect(lines.count == 50)
        #expect(lines.allSatisfy { $0.hasPrefix("w0 ") || $0.hasPrefix("w1 ") }, "no torn lines")
    }

    @Test func bpHistoryVariableNamesTheFile() {
        setenv("BP_HISTORY", "/tmp/somewhere", 1)
        defer { unsetenv("BP_HISTORY") }
        #expect(HistoryFile.defaultPath() == "/tmp/somewhere")
    }

    /// HOME="" wrote `/.bp_history`, an unset HOME the working folder: now no file, one note.
    @Test(arguments: [nil, ""] as [String?])
    func withoutHomeHistoryIsKeptInMemory(_ home: String?) {
        let saved = getenv("HOME").map { String(cString: $0) }
        defer { if let saved { setenv("HOME", saved, 1) } }
        if let home { setenv("HOME", home, 1) } else { unsetenv("HOME") }
        #expect(HistoryFile.defaultPath() == nil)
        var notes: [String] = []
        let h = HistoryFile(path: HistoryFile.defaultPath(), warn: { notes.append($0) })
        h.check()
        h.append("x = 1")
        h.check()
        #expect(notes == ["note: HOME is not set; history is kept for this session only"])
        #expect(h.load().isEmpty)
    }

    /// A folder or a path that cannot be written is not saved, and the user is told once.
    @Test func anUnwritablePathIsReportedOnce() throws {
        let dir = NSTemporaryDirectory() + "bp-history-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var notes: [String] = []
        let h = HistoryFile(path: dir, warn: { notes.append($0) })
        h.check()
        h.append("x = 1")
        h.append("y = 2")
        #expect(notes == ["note: cannot save the history in '\(dir)': it is a directory; history is kept for this session only"])
        var missing: [String] = []
        let m = HistoryFile(path: dir + "/no/such/folder/history", warn: { missing.append($0) })
        m.append("x = 1")
        m.append("y = 2")
        #expect(missing.count == 1 && missing[0].hasPrefix("note: cannot save the history in '\(dir)/no/such/folder/history': "))
    }

    /// One line that is not UTF-8 used to hide the whole history and stop the trim.
    @Test func aLineThatIsNotUTF8IsSkipped() throws {
        let path = tempPath()
        let bytes = Array("a = 1\n".utf8) + [0x62, 0xFF, 0x0A] + Array("c = 3\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let h = HistoryFile(path: path, limit: 2)
        #expect(h.load() == ["a = 1", "c = 3"])
        h.append("d = 4")
        #expect(h.load() == ["c = 3", "d = 4"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("c = 3\nd = 4\n".utf8))
    }

    /// The trim writes a new file and renames it over the old (a crash leaves one of the
    /// two whole), keeps the mode 0600, and writes through a symlink to its target.
    @Test func theTrimReplacesTheFileAndKeepsModeAndLink() throws {
        let target = tempPath(), link = tempPath()
        symlink(target, link)
        let h = HistoryFile(path: link, limit: 3)
        h.append("first")
        var before = stat(), after = stat(), linkStat = stat()
        stat(target, &before)
        #expect(before.st_mode & 0o777 == 0o600)
        // a second name keeps the original file alive: its inode number cannot be reused by
        // a later trim's new file (several trims run below; one freed and reused it in CI)
        let pin = tempPath()
        #expect(Glibc.link(target, pin) == 0)
        defer { unlink(pin) }
        for i in 0..<5 { h.append("line \(i)") }
        stat(target, &after)
        #expect(after.st_ino != before.st_ino, "rewritten in place")
        #expect(after.st_mode & 0o777 == 0o600)
        #expect(lstat(link, &linkStat) == 0 && linkStat.st_mode & S_IFMT == S_IFLNK)
        #expect(h.load() == ["line 2", "line 3", "line 4"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
            .filter { $0.hasPrefix((target as NSString).lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// Two shells at once, 1,000 lines each: under the cap every line is kept; past it
    /// exactly the cap, each writer's lines in order and the newest of both there.
    @Test func twoWritersOfAThousandLinesEach() {
        for limit in [2000, 1000] {
            let path = tempPath()
            DispatchQueue.concurrentPerform(iterations: 2) { w in
                let h = HistoryFile(path: path, limit: limit)
                for i in 0..<1000 { h.append("w\(w) \(i)") }
            }
            let lines = HistoryFile(path: path, limit: limit).load()
            #expect(lines.count == limit)
            var newest = 0
            for w in 0..<2 {
                let mine = lines.filter { $0.hasPrefix("w\(w) ") }.map { Int($0.dropFirst(3))! }
                if limit >= 2000 {
                    #expect(mine == Array(0..<1000), "under the cap every line is kept")
                }
                // past the cap a writer keeps its newest lines, in order, or none (when the
                // other one wrote 1,000 lines after its last: the scheduler may run them one
                // after the other)
                #expect(mine.isEmpty || mine == Array((1000 - mine.count)..<1000))
                if mine.last == 999 { newest += 1 }
            }
            #expect(newest >= 1, "the newest line of the writer that finished last is kept")
            var st = stat()
            stat(path, &st)
            #expect(st.st_mode & 0o777 == 0o600)
        }
    }
}
