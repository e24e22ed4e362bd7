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
func bp(_ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = bpBinary()
    p.arguments = args
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
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

    @Test func invalidUTF8IsASyntaxError() throws {
        let path = NSTemporaryDirectory() + "bp-bad-\(UUID().uuidString).bp"
        FileManager.default.createFile(atPath: path, contents: Data([0x70, 0xff, 0xfe]))
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
