import Foundation
import Testing
@testable import BPLang
import BPTestSupport

/// The `.bp` corpus (`Tests/corpus`): every file states its expected output and errors in
/// comments, as Crafting Interpreters' test suite does. `docs/testing.md` describes the format;
/// `scripts/corpus` runs the same files through the release binary.
struct CorpusCase: CustomStringConvertible, Sendable {
    let path: String
    var description: String { (path as NSString).lastPathComponent }

    static let directory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpus").path
    }()

    static let all: [CorpusCase] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".bp") }.sorted().map { CorpusCase(path: directory + "/" + $0) }
    }()
}

/// What a corpus file expects.
struct Expectation {
    var stdout: [String] = []
    /// `L:C: message` or `message`: a line of standard error containing `L:C: error: message`.
    var errors: [String] = []
    /// Other lines standard error must contain (notes, warnings).
    var stderr: [String] = []
    var status: Int32 = 0
    var shellMode = false
    /// `# mode: binary`: long or process-wide cases run through the release binary only.
    var binaryOnly = false

    init(_ source: String) {
        var explicitStatus: Int32? = nil
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = String(line)
            func value(_ key: String) -> String? {
                guard let r = l.range(of: "# \(key): ") else { return nil }
                return String(l[r.upperBound...])
            }
            if let v = value("expect") { stdout.append(v) }
            else if l.hasSuffix("# expect:") { stdout.append("") }
            if let v = value("error") { errors.append(v) }
            if let v = value("stderr") { stderr.append(v) }
            if let v = value("status") { explicitStatus = Int32(v.trimmingCharacters(in: .whitespaces)) }
            if value("mode")?.trimmingCharacters(in: .whitespaces) == "shell" { shellMode = true }
            if value("mode")?.trimmingCharacters(in: .whitespaces) == "binary" { binaryOnly = true }
        }
        status = explicitStatus ?? (errors.isEmpty ? 0 : 1)
    }

    /// The text an error expectation must find in standard error.
    static func needle(_ e: String) -> String {
        let parts = e.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[0].hasSuffix(":"),
           parts[0].dropLast().split(separator: ":").count == 2,
           parts[0].dropLast().split(separator: ":").allSatisfy({ Int($0) != nil }) {
            return "\(parts[0]) error: \(parts[1])"
        }
        return "error: " + e
    }

    /// Problems with a run's results; empty when it matched.
    func mismatches(out: String, err: String, status: Int32) -> [String] {
        var problems: [String] = []
        let lines = out.isEmpty ? [] : out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        if lines != stdout {
            problems.append("standard output differs:\n--- expected\n\(stdout.joined(separator: "\n"))\n--- printed\n\(lines.joined(separator: "\n"))")
        }
        let errLines = err.split(separator: "\n").map(String.init)
        var from = 0
        for e in errors {
            let needle = Expectation.needle(e)
            guard let k = errLines[from...].firstIndex(where: { $0.contains(needle) }) else {
                problems.append("no error '\(needle)' in standard error:\n\(err)")
                break
            }
            from = k + 1
        }
        let errorCount = errLines.filter { $0.contains("error: ") && !$0.hasPrefix("  ") }.count
        if errorCount != errors.count {
            problems.append("\(errorCount) errors reported, \(errors.count) expected:\n\(err)")
        }
        for s in stderr where !err.contains(s) { problems.append("standard error lacks '\(s)':\n\(err)") }
        if errors.isEmpty && stderr.isEmpty && !err.isEmpty { problems.append("unexpected standard error:\n\(err)") }
        if status != self.status { problems.append("status \(status), expected \(self.status)") }
        return problems
    }
}

/// Runs a corpus file through the library: as a script, or line by line as the shell does.
/// Relative file names (`csv("data/x.csv")`) are read from the corpus folder, as
/// `scripts/corpus` runs the binary there.
func runCorpus(_ source: String, file: String, shell: Bool) -> (out: String, err: String, status: Int32) {
    let c = CapturedSession()
    c.interp.workingDirectory = CorpusCase.directory
    if !shell {
        let status = c.run(source, file: file)
        return (c.out, c.err, status.rawValue)
    }
    var failed = false
    var input = ShellInput()
    for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
        let l = line.trimmingCharacters(in: .whitespaces)
        if l.hasPrefix("# expect") || l.hasPrefix("# error:") || l.hasPrefix("# mode:") || l.hasPrefix("# status:") || l.hasPrefix("# stderr:") { continue }
        for entry in input.feed(String(line), session: c.session) where c.type(entry) == .failed { failed = true }
    }
    if let rest = input.finish() { if c.type(rest) == .failed { failed = true } }
    return (c.out, c.err, failed ? 1 : 0)
}

@Suite struct CorpusTests {
    @Test func theCorpusIsThere() { #expect(CorpusCase.all.count >= 20) }

    @Test(arguments: CorpusCase.all)
    func corpus(_ c: CorpusCase) throws {
        let source = try String(contentsOfFile: c.path, encoding: .utf8)
        let expected = Expectation(source)
        if expected.binaryOnly { return }
        let r = onBigStack { runCorpus(source, file: c.description, shell: expected.shellMode) }
        let problems = expected.mismatches(out: r.out, err: r.err, status: r.status)
        #expect(problems.isEmpty, "\(c.description): \(problems.joined(separator: "\n"))")
    }
}
