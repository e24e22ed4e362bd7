import Testing
@testable import BPLang
import BPTestSupport

/// Every builtin's help example runs, and where it states a result (`# result`) the
/// example's last value prints exactly that.
@Suite struct HelpExampleTests {
    @Test func everyExampleRunsAndShowsWhatItSays() {
        let builtins = Interpreter()
        for name in builtins.builtinNames {
            guard let help = builtins.builtinHelp(name) else { continue }
            let parts = help.example.components(separatedBy: "   # ")
            let c = CapturedSession()
            // files an example reads (csv's xor_header.csv) are the corpus's data files
            c.interp.workingDirectory = CorpusCase.directory + "/data"
            let status = onBigStack { c.run(parts[0], file: "-e", printLast: true) }
            #expect(status == .ok, "\(name): \(c.err)")
            let out = c.out
            // a stated result that looks like a value is checked (rows joined by a space)
            if parts.count > 1, let first = parts[1].first, first.isNumber || first == "[" || first == "-" || first == "'",
               !parts[1].contains(" as ") {
                let shown = out.split(separator: "\n").last.map(String.init) ?? ""
                let all = out.replacingOccurrences(of: "\n ", with: " ").trimmingCharacters(in: .newlines)
                #expect(shown == parts[1] || all == parts[1] || all.hasSuffix(parts[1]), "\(name): printed \(out)")
            }
        }
    }
}
