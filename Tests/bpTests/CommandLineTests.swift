import Foundation
import Testing

/// The built `bp` binary: in the build folder that holds the test bundle.
func bpBinary() -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("bp").path) && dir.path != "/" {
        dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("bp")
}

/// Runs the built `bp` binary and returns status and output.
func bp(_ args: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = bpBinary()
    p.arguments = args
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
    try input.fileHandleForWriting.close()
    let (o, e) = readBoth(out, err)
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Both pipes read to their end at once: a full error pipe must not block the output's reader
/// (read one after the other, a child writing more than a pipe holds to standard error hung
/// the test: a 240 KB syntax error under AddressSanitizer).
func readBoth(_ out: Pipe, _ err: Pipe) -> (out: Data, err: Data) {
    final class Box: @unchecked Sendable { var data = Data() }  // written, then read after done
    let e = Box(), done = DispatchSemaphore(value: 0)
    Thread { e.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    return (o, e.data)
}

func script(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "bp-test-\(UUID().uuidString).bp"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite struct CommandLineTests {
    @Test func evalPrintsTheFinalExpression() throws {
        let r = try bp(["-e", "x = 2\nx * 21"])
        #expect(r.status == 0 && r.out == "42\n")
        // CODE may start with any number of '-'
        #expect(try bp(["-e", "---1"]).out == "-1\n")
        // a trailing ';' hides it, as in the shell
        #expect(try bp(["-e", "x = 2\nx * 21;"]).out == "")
    }

    @Test func exitStatuses() throws {
        #expect(try bp(["-e", "1 +"]).status == 2)
        #expect(try bp(["-e", "assert false, \"no\""]).status == 1)
        #expect(try bp(["-e", "undefined_name"]).status == 1)
        #expect(try bp(["/nonexistent/file.bp"]).status == 1)
        #expect(try bp(["--no-such-flag"]).status == 2)
        #expect(try bp(["--version"]).out.hasPrefix("bp "))
    }

    @Test func stdinRunsAsAScript() throws {
        let r = try bp([], stdin: "a = 1\nprint(a + 1)\nb = )\n")
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("<stdin>:3:5: error: expected an expression, found ')'"))
        #expect(try bp([], stdin: "print(3)\n").out == "3\n")
    }

    @Test func checkReportsEverySyntaxError() throws {
        let path = try script("a = )\nb = 2\nc = ]\n")
        let r = try bp(["--check", path])
        #expect(r.status == 2)
        #expect(r.err.components(separatedBy: "error:").count - 1 == 2)
        #expect(try bp(["--check", try script("x = 1\n")]).status == 0)
    }

    @Test func shebangAndArgs() throws {
        let path = try script("#!/usr/bin/env bp\nprint(args)\n")
        let r = try bp([path, "one", "two"])
        #expect(r.status == 0 && r.out == "[\"one\", \"two\"]\n")
    }

    @Test(arguments: ["--help", "-h"])
    func helpPrintsTheUsageOnStandardOutput(_ flag: String) throws {
        let r = try bp([flag])
        #expect(r.status == 0)
        #expect(r.out.contains("USAGE: bp") && r.out.contains("-e <CODE>") && r.out.contains("--check"))
        #expect(r.err.isEmpty)
    }

    @Test func helpAfterTheFileIsTheScriptsArgument() throws {
        let r = try bp([try script("print(args)\n"), "--help", "-h"])
        #expect(r.status == 0 && r.out == "[\"--help\", \"-h\"]\n")
    }

    /// With -e there is no FILE: every positional argument is one of the script's args.
    @Test func evalSeesEveryArgument() throws {
        #expect(try bp(["-e", "print(args)", "a", "b"]).out == "[\"a\", \"b\"]\n")
        #expect(try bp(["-e", "print(len(args))"]).out == "0\n")
        #expect(try bp(["-e", "print(args)", "--help"]).out == "[\"--help\"]\n")
    }

    /// Arguments without an option skip ArgumentParser's parse (start-up time); with one
    /// anywhere they go through it: both give the same FILE and args.
    @Test func argumentsWithAndWithoutOptionsParseAlike() throws {
        let path = try script("print(args)\n")
        #expect(try bp([path, "a", "b=c", "help"]).out == "[\"a\", \"b=c\", \"help\"]\n")
        #expect(try bp([path, "a", "-x", "--", ""]).out == "[\"a\", \"-x\", \"--\", \"\"]\n")
        #expect(try bp(["-e", "print(args)", "a", "-", "b"]).out == "[\"a\", \"-\", \"b\"]\n")
        #expect(try bp(["-i", "-e", "print(args)", "a"], stdin: "").out.hasPrefix("[\"a\"]\n"))
        let r = try bp([""])
        #expect(r.status == 1 && r.err.contains("cannot read ''"))
    }

    @Test func evalCodeMayStartWithAMinus() throws {
        let r = try bp(["-e", "-1/0"])
        #expect(r.status == 0 && r.out == "-inf\n")
        #expect(try bp(["-e", "-2 * 3"]).out == "-6\n")
    }

    @Test func dashReadsTheScriptFromStandardInput() throws {
        let r = try bp(["-", "a", "b"], stdin: "print(args)\n")
        #expect(r.status == 0 && r.out == "[\"a\", \"b\"]\n")
        let e = try bp(["-"], stdin: "x = )\n")
        #expect(e.status == 2 && e.err.hasPrefix("<stdin>:1:5: error: "))
        let c = try bp(["--check", "-"], stdin: "y = 1\nx = )\n")
        #expect(c.status == 2 && c.err.hasPrefix("<stdin>:2:5: error: "))
    }

    /// Reads go through open/read with errno: a device is readable, a folder says so, and
    /// a folder on standard input is an error, not a trap in FileHandle.
    @Test func scriptsThatCannotBeReadSayWhy() throws {
        #expect(try bp(["/dev/null"]).status == 0)
        let dir = NSTemporaryDirectory()
        let r = try bp([dir])
        #expect(r.status == 1 && r.err == "\(dir): error: cannot read '\(dir)': it is a directory\n")
        let p = Process()
        p.executableURL = bpBinary()
        p.standardInput = FileHandle(forReadingAtPath: dir)
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            == "<stdin>: error: cannot read standard input: it is a directory\n")
    }

    @Test func invalidUTF8IsASyntaxError() throws {
        let path = NSTemporaryDirectory() + "bp-bad-\(UUID().uuidString).bp"
        _ = FileManager.default.createFile(atPath: path, contents: Data([0x70, 0xff, 0xfe]))
        #expect(try bp([path]).status == 2)
    }
}

@Suite struct InteractiveCommandLineTests {
    @Test func dashIRunsTheScriptThenTheShellWithItsVariables() throws {
        let path = try script("x = 41\n")
        let r = try bp(["-i", path], stdin: "x + 1\n:quit\nprint(\"not reached\")\n")
        #expect(r.status == 0)
        #expect(r.out == "42\n")
    }

    /// SPEC 2: the script of `bp -i FILE` is written out in full by :save, under a comment.
    @Test func saveAfterDashIWritesTheScriptInFull() throws {
        let path = try script("def f(x) = 2 * x\ny = f(20)\n")
        let out = NSTemporaryDirectory() + "bp-saved-\(UUID().uuidString).bp"
        let r = try bp(["-i", path], stdin: "z = y + 2\n:save \(out)\n")
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let saved = try String(contentsOfFile: out, encoding: .utf8)
        #expect(saved == "# from bp -i \(path)\ndef f(x) = 2 * x\ny = f(20)\nz = y + 2\n")
        #expect(try bp(["-e", saved + "print(f(z))"]).out == "84\n")
    }

    @Test func ctrlCInScriptModeExits130() throws {
        let p = Process()
        p.executableURL = bpBinary()
        p.arguments = ["-e", "n = 0\nwhile true { n += 1 }"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        Thread.sleep(forTimeInterval: 0.4)
        p.interrupt()  // SIGINT
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "interrupted\n")
    }
}
