import Foundation
import Testing

/// Runs a shell command line with `$BP` naming the built binary; standard output as bytes.
func sh(_ command: String, shell: String = "/bin/sh") throws -> (status: Int32, out: [UInt8], err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: shell)
    p.arguments = ["-c", command]
    p.environment = ProcessInfo.processInfo.environment.merging(["BP": bpBinary().path]) { $1 }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let (o, e) = readBoth(out, err)
    p.waitUntilExit()
    return (p.terminationStatus, Array(o), String(decoding: e, as: UTF8.self))
}

/// A script file holding exactly these bytes.
func scriptBytes(_ bytes: [UInt8]) -> String {
    let path = NSTemporaryDirectory() + "bp-io-\(UUID().uuidString).bp"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

/// Standard input and output that are closed, full, endless, folders, FIFOs and links, and
/// script files in every odd shape: each runs, or fails with a message and the SPEC's status.
@Suite struct FileInputTests {
    @Test func closedStandardInputIsAnError() throws {
        let r = try sh("\"$BP\" <&-")
        #expect(r.status == 1 && r.err == "<stdin>: error: cannot read standard input: it is closed\n")
    }

    /// `bp < /dev/zero` stops at 256 MiB instead of eating the memory.
    @Test func endlessStandardInputStopsAtTheLimit() throws {
        let r = try sh("\"$BP\" < /dev/zero")
        #expect(r.status == 1 && r.err == "<stdin>: error: the script is larger than 256 MiB\n")
    }

    @Test func aFileOverTheLimitIsNotRead() throws {
        let path = scriptBytes([])
        defer { unlink(path) }
        #expect(truncate(path, 300 << 20) == 0)  // sparse: no disk used
        let r = try bp([path])
        #expect(r.status == 1 && r.err == "\(path): error: the script is larger than 256 MiB\n")
    }

    @Test func devicesFIFOsAndDash() throws {
        #expect(try sh("echo 'print(1)' | \"$BP\" /dev/stdin").out == Array("1\n".utf8))
        #expect(try sh("\"$BP\" <(echo 'print(2)')", shell: "/bin/bash").out == Array("2\n".utf8))
        #expect(try sh("echo 'print(3)' | \"$BP\" -").out == Array("3\n".utf8))
        let empty = try sh("\"$BP\" /dev/null")
        #expect(empty.status == 0 && empty.out.isEmpty && empty.err.isEmpty)
    }

    @Test func aSymlinkLoopSaysSo() throws {
        let dir = NSTemporaryDirectory() + "bp-loop-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        symlink(dir + "/b.bp", dir + "/a.bp")
        symlink(dir + "/a.bp", dir + "/b.bp")
        let r = try bp([dir + "/a.bp"])
        #expect(r.status == 1 && r.err == "\(dir)/a.bp: error: cannot read '\(dir)/a.bp': too many levels of symbolic links\n")
    }

    /// "\r\n" is one Character: split by Characters a CRLF file was one line, and errors
    /// lost their source line.
    @Test func crlfScriptsRunAndShowTheLineInErrors() throws {
        #expect(try bp([scriptBytes(Array("x = 1\r\nprint(x + 1)\r\n".utf8))]).out == "2\n")
        let path = scriptBytes(Array("x = 1\r\ny = )\r\nz = 2\r\n".utf8))
        let r = try bp([path])
        #expect(r.status == 2 && r.err == "\(path):2:5: error: expected an expression, found ')'\n  y = )\n      ^\n")
    }

    /// `fputs` stops at a NUL: print writes the bytes.
    @Test func aNulInAStringIsPrintedWhole() throws {
        let r = try bp([scriptBytes(Array("print(\"a\0b\")\n".utf8))])
        #expect(r.status == 0 && Array(r.out.utf8) == [0x61, 0, 0x62, 0x0A])
    }

    /// A NUL in the code is an error whose source line and caret still reach the terminal.
    @Test func aNulInCodeShowsItsLine() throws {
        let path = scriptBytes(Array("x = 1\0\n".utf8))
        let r = try bp([path])
        #expect(r.status == 2 && r.err.hasPrefix("\(path):1:6: error: "))
        #expect(r.err.hasSuffix("\n  x = 1\u{2400}\n       ^\n"))
    }

    @Test func outputThatCannotBeWrittenIsAnError() throws {
        let closed = try sh("\"$BP\" -e 'print(1)' >&-")
        #expect(closed.status == 1 && closed.err == "error: cannot write the output: standard output is closed\n")
        let full = try sh("\"$BP\" -e 'print(1)' > /dev/full")
        #expect(full.status == 1 && full.err == "error: cannot write the output: No space left on device\n")
        let long = try sh("\"$BP\" -e 'for i in range(20000) { print(i) }' > /dev/full")
        #expect(long.status == 1 && long.err == "error: cannot write the output: No space left on device\n")
        // the shell, which flushes after every input, says why too
        let shell = try sh("echo '1 + 1' | BP_HISTORY=/dev/null \"$BP\" -i /dev/null > /dev/full")
        #expect(shell.status == 1 && shell.err == "error: cannot write the output: No space left on device\n")
        // nothing written, nothing lost
        #expect(try sh("\"$BP\" -e 'x = 1' >&-").status == 0)
    }

    /// 40,000 `and` terms nest 40,000 deep: --check parses on the big stack too.
    @Test(.disabled(if: ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil,
                    "under scripts/asan: its larger frames stop the nesting earlier"))
    func checkParsesDeepLinesOnTheBigStack() throws {
        let path = scriptBytes(Array(("x = 1" + String(repeating: " and 1", count: 40_000) + "\n").utf8))
        let r = try bp(["--check", path])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err.prefix(300))")
    }

    /// SPEC 1: invalid UTF-8 is a syntax error (status 2), at the line and column of its
    /// first bad byte, for files, standard input and --check alike.
    @Test func invalidUTF8SaysWhere() throws {
        let bytes: [UInt8] = Array("x = 1\ny = \"é".utf8) + [0xFF, 0xFE] + Array("\"\nprint(y)\n".utf8)
        let path = scriptBytes(bytes)
        let message = ":2:7: error: this is not UTF-8 text (the byte 0xFF); save the script as UTF-8\n  y = \"é\u{FFFD}\u{FFFD}\"\n        ^\n"
        let file = try bp([path])
        #expect(file.status == 2 && file.err == path + message)
        let check = try bp(["--check", path])
        #expect(check.status == 2 && check.err == path + message)
        let stdin = try sh("\"$BP\" < '\(path)'")
        #expect(stdin.status == 2 && stdin.err == "<stdin>" + message)
        // a sequence cut off by the end of the file
        let cut = try bp([scriptBytes(Array("print(1)\n\"".utf8) + [0xE2, 0x82])])
        #expect(cut.status == 2 && cut.err.contains(":2:2: error: this is not UTF-8 text (the byte 0xE2)"))
    }

    /// A byte order mark (Windows editors write one) is not part of the program.
    @Test func aByteOrderMarkIsSkipped() throws {
        let r = try bp([scriptBytes([0xEF, 0xBB, 0xBF] + Array("print(1)\n".utf8))])
        #expect(r.status == 0 && r.out == "1\n" && r.err.isEmpty)
    }

    @Test func noFinalNewlineAndEmptyFiles() throws {
        #expect(try bp([scriptBytes(Array("x = 2\nprint(x)".utf8))]).out == "2\n")
        let empty = try bp([scriptBytes([])])
        #expect(empty.status == 0 && empty.out.isEmpty && empty.err.isEmpty)
    }

    /// A 10 MB line runs, and an error after a 10 MB line still has its line and caret.
    @Test func aTenMegabyteLine() throws {
        let text = "s = \"" + String(repeating: "a", count: 10_000_000) + "\"; print(len(s))\n"
        let long = scriptBytes(Array(text.utf8))
        defer { unlink(long) }
        let ok = try bp([long])
        #expect(ok.status == 0 && ok.out == "10000000\n", "\(ok.err.prefix(300))")
        let comment = "# " + String(repeating: "a", count: 10_000_000) + "\n"
        let path = scriptBytes(Array((comment + "y = )\n").utf8))
        defer { unlink(path) }
        let bad = try bp([path])
        #expect(bad.status == 2 && bad.err == "\(path):2:5: error: expected an expression, found ')'\n  y = )\n      ^\n")
    }
}

/// SPEC 2: history is never lost or truncated when two shells run at once.
@Suite struct HistoryProcessTests {
    @Test func twoShellsOfAThousandLinesEach() throws {
        let dir = NSTemporaryDirectory() + "bp-two-shells-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["a", "b"] {
            let lines = (0..<1000).map { "\(name) = \($0)\n" }.joined()
            try lines.write(toFile: "\(dir)/\(name).in", atomically: true, encoding: .utf8)
        }
        let r = try sh("""
            cd '\(dir)' && export BP_HISTORY='\(dir)/history'
            "$BP" -i /dev/null < a.in > a.out & "$BP" -i /dev/null < b.in > b.out; wait
            """)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err.prefix(500))")
        let history = try String(contentsOfFile: dir + "/history", encoding: .utf8).split(separator: "\n")
        #expect(history.count == 1000)
        for name in ["a", "b"] {
            let mine = history.filter { $0.hasPrefix("\(name) = ") }.map { Int($0.dropFirst(4))! }
            #expect(mine == mine.sorted() && mine.last == 999, "\(name): \(mine.suffix(5))")
        }
        var st = stat()
        stat(dir + "/history", &st)
        #expect(st.st_mode & 0o777 == 0o600)
    }
}

/// :save through the shell (`bp -i` reads it from a pipe).
@Suite struct SaveTests {
    /// A chain of links stays a chain: only the file at its end is replaced, mode kept.
    @Test func saveThroughTwoSymlinksKeepsBoth() throws {
        let dir = NSTemporaryDirectory() + "bp-save-links-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "old = 1\n".write(toFile: dir + "/file.bp", atomically: false, encoding: .utf8)
        chmod(dir + "/file.bp", 0o640)
        symlink("file.bp", dir + "/inner.bp")
        symlink(dir + "/inner.bp", dir + "/outer.bp")
        let r = try bp(["-i", "/dev/null"], stdin: "x = 1\n:save \(dir)/outer.bp\n")
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        #expect(try String(contentsOfFile: dir + "/file.bp", encoding: .utf8) == "x = 1\n")
        var st = stat()
        for link in ["inner.bp", "outer.bp"] {
            #expect(lstat(dir + "/" + link, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK, "\(link) is no longer a link")
        }
        #expect(stat(dir + "/file.bp", &st) == 0 && st.st_mode & 0o777 == 0o640)
    }
}
