import Foundation
import Testing
@testable import BPLang
import BPTestSupport

/// The shell's commands, driven through the session as the REPL drives it.
@Suite struct SessionTests {
    func temp(_ name: String) -> String { NSTemporaryDirectory() + "bp-\(UUID().uuidString)-\(name)" }

    @Test func saveWritesARunnableScriptOfTheSuccessfulInputs() throws {
        let c = CapturedSession()
        c.type("a = 2")
        c.type("b = )")          // a syntax error is not saved
        c.type("undefined + 1")  // nor a runtime error
        c.type("f = a * 3")
        let path = temp("s.bp")
        #expect(c.type(":save \(path)") == .done)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a = 2\nf = a * 3\n")
        let r = run(try String(contentsOfFile: path, encoding: .utf8) + "print(f)")
        #expect(r.out == "6\n")
    }

    /// Runs a saved script in a fresh session: it must rebuild the same variables.
    func expectSavedScriptRebuilds(_ c: CapturedSession, from path: String) throws {
        let fresh = CapturedSession()
        #expect(fresh.session.runFile(path) == .ok)
        #expect(fresh.err.isEmpty, "the saved script failed: \(fresh.err)")
        #expect(fresh.session.vars() == c.session.vars())
    }

    @Test func saveWritesALoadedFileInFullWhereItRan() throws {
        let lib = temp("lib.bp"), out = temp("out.bp")
        try "# a library\ndef sq(x) = x * x\nw = sq(3)\n".write(toFile: lib, atomically: true, encoding: .utf8)
        let c = CapturedSession()
        c.type("v = 1")
        c.type(":load \(lib)")
        c.type("z = w + v")
        c.type(":vars")
        c.type(":precision 3")
        c.type("?pi")
        c.type(":save \(out)")
        #expect(c.err.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8)
            == "v = 1\n# from :load \(lib)\n# a library\ndef sq(x) = x * x\nw = sq(3)\nz = w + v\n")
        try expectSavedScriptRebuilds(c, from: out)
    }

    @Test func aLoadThatFailsHalfWayKeepsWhatRan() throws {
        let lib = temp("half.bp"), out = temp("out.bp")
        try "p = 1\nq = nosuch\nr = 3\n".write(toFile: lib, atomically: true, encoding: .utf8)
        let c = CapturedSession()
        #expect(c.type(":load \(lib)") == .failed)
        c.type(":save \(out)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "# from :load \(lib)\np = 1\n")
        try expectSavedScriptRebuilds(c, from: out)
    }

    /// `x = 5; y = nosuch` binds x, then fails: :save keeps the statements that completed.
    @Test func aLineThatPartlySucceededKeepsTheStatementsThatRan() throws {
        let out = temp("out.bp")
        let c = CapturedSession()
        c.type("x = 5; y = nosuch")
        c.type("a = [1, 2];  b = a + 1 ; c = nosuch; d = 4")
        c.type("if x > 1 { e = 1 } else { e = 2 }; f = e / nosuch")
        c.type(":save \(out)")
        #expect(try String(contentsOfFile: out, encoding: .utf8)
            == "x = 5\na = [1, 2];  b = a + 1\nif x > 1 { e = 1 } else { e = 2 }\n")
        try expectSavedScriptRebuilds(c, from: out)
    }

    @Test func saveIntoAMissingFolderSaysSo() {
        let c = CapturedSession()
        let dir = "nodir-\(UUID().uuidString)"
        #expect(c.type(":save \(dir)/x.bp") == .failed)
        #expect(c.err == "error: cannot write '\(dir)/x.bp': the folder '\(dir)' does not exist\n")
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func saveOntoAFolderOrUnderAFileSaysWhatIsWrong() throws {
        let c = CapturedSession()
        let dir = temp("dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        #expect(c.type(":save \(dir)") == .failed)
        #expect(c.err == "error: cannot write '\(dir)': it is a directory\n")
        let file = temp("file")
        try "".write(toFile: file, atomically: true, encoding: .utf8)
        c.err = ""
        #expect(c.type(":save \(file)/x.bp") == .failed)
        #expect(c.err == "error: cannot write '\(file)/x.bp': a part of '\(file)' is a file, not a folder\n")
    }

    @Test func writeErrorsCarryErrnoAndAReadableMessage() {
        func message(_ code: Int32, inFolder: Bool) -> String {
            FileWriteError(path: "d/x.bp", code: code, folder: "d", inFolder: inFolder).message
        }
        #expect(message(EACCES, inFolder: true) == "cannot write 'd/x.bp': permission denied: the folder 'd' is not writable")
        #expect(message(EACCES, inFolder: false) == "cannot write 'd/x.bp': permission denied")
        #expect(message(EROFS, inFolder: false) == "cannot write 'd/x.bp': the file system is read-only")
        #expect(message(EIO, inFolder: false) == "cannot write 'd/x.bp': input/output error")
        do {
            try AtomicFile.write("x", to: "nodir-\(UUID().uuidString)/x.bp")
            Issue.record("wrote into a missing folder")
        } catch let e as FileWriteError {
            #expect(e.code == ENOENT)
        } catch {
            Issue.record("not a FileWriteError: \(error)")
        }
    }

    /// Root may write anywhere, so this one checks only when run as another user.
    @Test(.enabled(if: getuid() != 0)) func saveIntoAReadOnlyFolderSaysPermissionDenied() throws {
        let dir = temp("ro")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        chmod(dir, 0o500)
        defer { chmod(dir, 0o700) }
        let c = CapturedSession()
        #expect(c.type(":save \(dir)/x.bp") == .failed)
        #expect(c.err == "error: cannot write '\(dir)/x.bp': permission denied: the folder '\(dir)' is not writable\n")
    }

    @Test func saveKeepsTheModeAndWritesThroughASymlink() throws {
        let target = temp("target.bp"), link = temp("link.bp")
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        chmod(target, 0o600)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let c = CapturedSession()
        c.type("k = 1")
        #expect(c.type(":save \(link)") == .done)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "k = 1\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func loadRunsAScriptIntoTheSession() throws {
        let path = temp("l.bp")
        try "w = 5\n".write(toFile: path, atomically: true, encoding: .utf8)
        let c = CapturedSession()
        #expect(c.type(":load \(path)") == .done)
        c.type("w * 2")
        #expect(c.out == "10\n")
        #expect(c.type(":load /nonexistent.bp") == .failed)
        #expect(c.err.contains("cannot read '/nonexistent.bp': no such file"))
    }

    @Test func resetForgetsVariablesAndRestoresBuiltins() {
        let c = CapturedSession()
        c.type("sigmoid = 3")
        c.type("x = 1")
        c.type(":reset")
        #expect(c.type("x") == .failed)
        c.type("sigmoid(0)")
        #expect(c.out == "0.5\n")
    }

    @Test func precisionSetsSignificantDigits() {
        let c = CapturedSession()
        c.type(":precision 3")
        c.type("pi")
        c.type(":precision 10")
        c.type("pi")
        #expect(c.out == "3.14\n3.141592654\n")
        #expect(c.type(":precision zero") == .failed)
    }

    @Test func precisionWithNoArgumentShowsTheCurrentValue() {
        let c = CapturedSession()
        #expect(c.type(":precision") == .done)
        c.type(":precision 4")
        c.type(":precision")
        #expect(c.out == "precision: 6\nprecision: 4\n")
        #expect(c.err.isEmpty)
    }

    /// Every command has help with an example, asked for with or without the colon.
    @Test(arguments: Session.metaCommands)
    func everyCommandHasHelp(_ command: String) {
        let c = CapturedSession()
        let withColon = c.reply(":help \(command)")
        #expect(withColon.hasPrefix(command) && withColon.contains("\n  Example: "), "\(withColon)")
        // without the colon: the command, unless a builtin has the name (help, time)
        let bare = String(command.dropFirst())
        #expect((c.reply("?\(bare)") == withColon) == (c.session.interp.global(bare) == nil))
    }

    @Test func helpForCommandsByName() {
        let c = CapturedSession()
        #expect(c.reply(":help vars").hasPrefix(":vars\n  Lists every variable"))
        #expect(c.reply(":help :q").hasPrefix(":quit\n"))
        #expect(c.reply(":help :nosuch").hasPrefix("no help for ':nosuch'"))
    }

    @Test(arguments: [("pi", "pi = 3.141592653589793\n"), ("e", "e = 2.718281828459045\n"), ("inf", "inf\n  Positive infinity"), ("nan", "nan\n  Not a number")])
    func helpDescribesTheConstants(_ name: String, _ start: String) {
        let c = CapturedSession()
        let text = c.reply("?\(name)")
        #expect(text.hasPrefix(start) && text.contains("constant") && text.contains("Example: "), "\(text)")
        #expect(c.reply(":help \(name)") == text)
        #expect(c.reply("help(\"\(name)\")") == text)
    }

    @Test func aReboundConstantIsDescribedAsAVariable() {
        let c = CapturedSession()
        c.type("pi = 3")
        c.type("?pi")
        #expect(c.out == "pi: a number variable.\n")
    }

    @Test(arguments: [(":quit now", "usage: :quit"), (":q now", "usage: :quit"), (":vars x", "usage: :vars"), (":reset x", "usage: :reset")])
    func commandsThatTakeNoArgumentRejectOne(_ line: String, _ usage: String) {
        let c = CapturedSession()
        c.type("x = 1")
        #expect(c.type(line) == .failed)
        #expect(c.err == usage + "\n")
        #expect(c.out.isEmpty)
        c.type("x")
        #expect(c.out == "1\n", "the shell and its variables stay")
    }

    @Test func timeRunsTheStatementAndReportsTheDuration() {
        let c = CapturedSession()
        c.type(":time 6 * 7")
        #expect(c.out.hasPrefix("42\ntime: "))
    }

    @Test func helpQuestionMarkAndQuit() {
        let c = CapturedSession()
        c.type("?sigmoid")
        #expect(c.out.hasPrefix("sigmoid(x)\n"))
        c.out = ""
        c.type(":help")
        #expect(c.out.contains(":vars") && c.out.contains("Builtins:"))
        #expect(c.type(":quit") == .quit)
        #expect(c.type(":qiut") == .failed)
        #expect(c.err.contains("did you mean ':quit'?"))
    }

    @Test func varsShowsKindShapeValueAndGrad() {
        let c = CapturedSession()
        c.type("a = 1; b = 2")
        c.type("f = a * b")
        c.type("backward(f)")
        c.out = ""
        c.type(":vars")
        let lines = c.out.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("a number leaf 1 2"))
        #expect(lines.contains("f number node 2 1"))
    }

    @Test func anErrorKeepsEveryVariable() {
        let c = CapturedSession()
        c.type("x = 1")
        c.type("x = 2; y = undefined_thing")
        c.type("x")
        #expect(c.out.hasSuffix("2\n"), "statements before the error ran")
        #expect(c.err.contains("unknown name 'undefined_thing'"))
    }

    @Test func errorsInsideAFunctionFromAnEarlierInputShowThatLine() {
        let c = CapturedSession()
        c.type("def f(x) = x / y")
        c.type("f(1)")
        #expect(c.err == "1:16: error: unknown name 'y'\n  def f(x) = x / y\n                 ^\n  in f, called at 1:1\n")
    }
}

@Suite struct TensorShellTests {
    @Test func backwardListsMatrixGradientsAligned() {
        let c = CapturedSession()
        c.type("W = [[1, 2], [3, 4]]")
        c.type("L = sum(W * W)")
        #expect(c.reply("backward(L)") == "dL/dW = [[2 4]\n         [6 8]]\n")
    }

    /// min, mean, max from `np.random.seed(1); W = np.random.randn(10, 10)`, printed with %.4g
    @Test func varsSummarizesLargeTensors() {
        let c = CapturedSession()
        c.type("seed(1); W = randn(10, 10)")
        let row = c.reply(":vars").split(separator: "\n").first { $0.hasPrefix("W ") }.map(String.init) ?? ""
        #expect(row.contains("(10,10)") && row.contains("min -2.302 mean 0.06058 max 2.186"))
    }
}
