import ArgumentParser
import BPLang
import BPShell
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The command line: `bp`, `bp FILE [ARGS]`, `bp -e CODE`, `bp -i FILE`, `bp --check FILE`.
struct BP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bp",
        abstract: "A shell for exploring backpropagation.",
        discussion: """
        With no FILE, bp opens the interactive shell when standard input is a terminal, \
        and otherwise runs standard input as a script. Exit status: 0 success, 1 runtime \
        error or failed assert, 2 usage or syntax error, 130 interrupted.
        """,
        version: "bp \(Version.string)")

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE as a script and print the value of its final expression.", valueName: "CODE"))
    var code: String?

    @Flag(name: .customShort("i"), help: "Run FILE, then open the interactive shell with its variables.")
    var interactive = false

    @Flag(help: "Parse FILE only and report every syntax error.")
    var check = false

    @ArgumentParser.Argument(parsing: .captureForPassthrough, help: ArgumentHelp("A .bp script and the arguments it sees as `args`.", valueName: "FILE [ARGS...]"))
    var arguments: [String] = []

    func run() throws {
        let file = arguments.first
        if let f = file, f.hasPrefix("-"), f != "-" {
            // captured before ArgumentParser could see it: options stand before FILE
            if f == "--version" { print("bp \(Version.string)"); return }
            throw ValidationError("unknown option '\(f)'")
        }
        let scriptArgs = Array(arguments.dropFirst())
        if check {
            guard let file else { throw ValidationError("--check needs a FILE") }
            let session = Session()
            switch Session.read(file) {
            case .success(let text): Foundation.exit(session.check(text, file: file).rawValue)
            case .failure(let e):
                fputs("\(file): error: \(e.message)\n", stderr)
                Foundation.exit(e.kind == .syntax ? 2 : 1)
            }
        }
        if interactive && file == nil && code == nil { throw ValidationError("-i needs a FILE") }
        Signals.installInterruptHandler()
        let status = BigStack.run {
            let session = Session(interp: Interpreter(interruptFlag: Signals.interruptFlag))
            session.interp.scriptArgs = scriptArgs
            var status: Int32 = 0
            if let code {
                status = session.runScript(code, file: "-e", printLast: true).rawValue
                if !interactive { return status }
            } else if let file {
                status = session.runFile(file).rawValue
                if !interactive { return status }
            } else if isatty(0) == 0 {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                guard let text = String(data: data, encoding: .utf8) else {
                    fputs("<stdin>: error: the input is not valid UTF-8 text\n", stderr)
                    return 2
                }
                return session.runScript(text, file: "<stdin>").rawValue
            }
            return REPL(session: session).run(showBanner: !interactive)
        }
        fflush(stdout)
        Foundation.exit(status)
    }
}

do {
    var command = try BP.parseAsRoot()
    try command.run()
} catch {
    let code = BP.exitCode(for: error)
    if code == .success {
        print(BP.fullMessage(for: error))
        exit(0)
    }
    fputs(BP.fullMessage(for: error) + "\n", stderr)
    exit(2)
}
