import Foundation
import Testing
@testable import BPLang

/// Tab completion as the line editor asks for it: `word` is what libedit replaces (it breaks
/// words at `/`, `-`, `"` and spaces), `before` the line up to it.
@Suite struct CompletionTests {
    /// A folder with `lib.bp`, `lesson.bp`, `.hidden.bp`, `sub/deep.bp` and `sub/data/`.
    static func tree() throws -> String {
        let root = NSTemporaryDirectory() + "bp-complete-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/sub/data", withIntermediateDirectories: true)
        for f in ["lib.bp", "lesson.bp", ".hidden.bp", "sub/deep.bp", "sub/data/x.csv", "é.bp"] {
            _ = fm.createFile(atPath: root + "/" + f, contents: Data())
        }
        return root
    }

    @Test func relativePathsWithAFolderPart() throws {
        let root = try Self.tree(), s = Session()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(s.completions(for: "x", before: ":load ./", directory: root) == [])
        #expect(s.completions(for: "l", before: ":load ./", directory: root) == ["lesson.bp", "lib.bp"])
        #expect(s.completions(for: "d", before: ":load sub/", directory: root) == ["data/", "deep.bp"])
        #expect(s.completions(for: "x", before: "x = \"sub/data/", directory: root) == ["x.csv"])
        #expect(s.completions(for: "su", before: "x = \"./", directory: root) == ["sub/"])
        #expect(s.completions(for: "su", before: ":save ", directory: root) == ["sub/"])
        #expect(s.completions(for: "", before: ":load ", directory: root) == ["lesson.bp", "lib.bp", "sub/", "é.bp"])
    }

    @Test func absolutePaths() throws {
        let root = try Self.tree(), s = Session()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // libedit breaks at `/`: the typed part is in `before`, the word after the last `/`
        #expect(s.completions(for: "le", before: ":load \(root)/") == ["lesson.bp"])
        #expect(s.completions(for: "de", before: "load(\"\(root)/sub/") == ["deep.bp"])
        let name = (root as NSString).lastPathComponent
        #expect(s.completions(for: String(name.prefix(20)), before: ":load \(NSTemporaryDirectory())/") == [name + "/"])
    }

    @Test func hiddenFilesOnlyAfterADot() throws {
        let root = try Self.tree(), s = Session()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(s.completions(for: ".h", before: ":load ", directory: root) == [".hidden.bp"])
        #expect(!s.completions(for: "", before: ":load ", directory: root).contains(".hidden.bp"))
    }

    /// Words that trapped in NSString's path methods, and odd text: nothing crashes.
    @Test(arguments: ["x", ".", "/", "./", "../", "~", "//", "a/./b", "\u{301}", "é"])
    func oddWordsComplete(_ word: String) {
        let s = Session()
        _ = s.completions(for: word, before: ":load ")
        _ = s.completions(for: word, before: "x = \"./")
        _ = s.completions(for: word, before: "x = \"")
    }

    @Test func quotesClosedOrEscapedAreNotFileNames() {
        let s = Session()
        _ = s.evaluate("lesson = 1")
        #expect(s.completions(for: "less", before: "print(\"a\", ") == ["lesson"])
        #expect(s.completions(for: "less", before: "print(\"a\\\"b\", ") == ["lesson"])
        #expect(s.completions(for: "less", before: "x = 1 # \"") == ["lesson"])
    }

    @Test func metaCommandsAndAttributes() {
        let s = Session()
        #expect(s.completions(for: ":lo", before: "") == [":load"])
        _ = s.evaluate("a = 1")
        #expect(s.completions(for: "a.gr", before: "") == ["a.grad"])
    }
}

/// The chain-rule explorers complete like every other builtin, and `?name` shows their help.
@Suite struct ExplorerCompletionTests {
    @Test(arguments: [("che", "check"), ("expl", "explain"), ("nud", "nudge"), ("compa", "compare"),
                      ("gra", "graph"), ("do", "dot"), ("rende", "render")])
    func explorersComplete(_ prefix: String, _ name: String) {
        #expect(Session().completions(for: prefix, before: "").contains(name), "\(prefix)")
    }
}
