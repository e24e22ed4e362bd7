import ArgumentParser
import BPLang
import BPShell
import CKernels
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

    // unconditional: CODE may start with '-' (bp -e '-1/0')
    @Option(name: .customShort("e"), parsing: .unconditional, help: ArgumentHelp("Run CODE as a script and print the value of its final expression; the arguments after it are its args.", valueName: "CODE"))
    var code: String?

    @Flag(name: .customShort("i"), help: "Run FILE, then open the interactive shell with its variables.")
    var interactive = false

    @Flag(help: "Parse FILE only and report every syntax error.")
    var check = false

    @Flag(help: "Serve one session as JSON lines on standard input and output (the Jupyter kernel's interface; docs/serve-protocol.md).")
    var serve = false

    @ArgumentParser.Argument(parsing: .captureForPassthrough, help: ArgumentHelp("A .bp script ('-': standard input) and the arguments it sees as `args`.", valueName: "FILE [ARGS...]"))
    var arguments: [String] = []

    func run() throws {
        try Invocation(code: code, interactive: interactive, check: check, serve: serve, arguments: arguments).run()
    }
}

/// What the command line asks for, as plain values: built by ArgumentParser (`BP`), or
/// directly when the arguments hold no option (`parse`), without `BP`'s property wrappers.
struct Invocation {
    var code: String?
    var interactive = false
    var check = false
    var serve = false
    var arguments: [String] = []

    func run() throws {
        if serve {
            guard code == nil, !interactive, !check, arguments.isEmpty else {
                throw ValidationError("--serve takes no FILE and no other option")
            }
            Signals.installInterruptHandler(restart: true)
            let status = BigStack.run { () -> Int32 in
                let session = Session(interp: Interpreter(interruptFlag: Signals.interruptFlag))
                defer { _ = Unmanaged.passRetained(session) }
                return Server(session: session).run()
            }
            exitFlushingOutput(status)
        }
        // with -e there is no FILE: every argument is one of the script's args
        let file = code == nil ? arguments.first : nil
        if let f = file, f.hasPrefix("-"), f != "-" {
            // captured before ArgumentParser could see it: options stand before FILE
            switch f {
            case "--version": print("bp \(Version.string)")
            case "--help", "-h": print(BP.helpMessage())
            default: throw ValidationError("unknown option '\(f)'")
            }
            return
        }
        let scriptArgs = code == nil ? Array(arguments.dropFirst()) : arguments
        if check {
            guard let file else { throw ValidationError("--check needs a FILE") }
            // on the big stack too: a long line of `and` terms nests deeply
            exitFlushingOutput(BigStack.run {
                let name = file == "-" ? "<stdin>" : file, session = Session()
                return session.withScript(file == "-" ? Session.readStandardInput() : Session.read(file), file: name) {
                    session.check($0, file: name)
                }.rawValue
            })
        }
        if interactive && file == nil && code == nil { throw ValidationError("-i needs a FILE") }
        Signals.installInterruptHandler()
        let (status, outputError) = BigStack.run { () -> (status: Int32, outputError: Int32) in
            let session = Session(interp: Interpreter(interruptFlag: Signals.interruptFlag))
            // the process exits right after: its variables are not freed one by one (a graph
            // of 4·10^5 nodes took 30 ms to free, 13% of building and differentiating it);
            // a graph freed while bp runs is still released without recursion
            defer { _ = Unmanaged.passRetained(session) }
            session.interp.scriptArgs = scriptArgs
            // plots fit the terminal output goes to (their fixed size when it is not one)
            session.interp.terminalSize = TerminalWindow.size()
            // train draws a progress bar on a terminal (plain lines otherwise)
            if isatty(1) != 0 { session.interp.trainingProgress = ProgressBar() }
            var status: Int32 = 0
            if let code {
                status = session.runScript(code, file: "-e", printLast: true, record: interactive ? "bp -i -e" : nil).rawValue
                if !interactive { return (status, 0) }
            } else if let file, file != "-" {
                status = session.runFile(file, record: interactive ? "bp -i \(file)" : nil).rawValue
                if !interactive { return (status, 0) }
            } else if file == "-" || isatty(0) == 0 {
                status = session.runStandardInput(record: interactive ? "bp -i -" : nil).rawValue
                if !interactive || file == nil { return (status, 0) }
            }
            let shell = REPL(session: session)
            return (shell.run(showBanner: !interactive), shell.outputError)
        }
        exitFlushingOutput(status, outputError: outputError)
    }
}

/// Standard descriptors the caller closed (`bp <&-`, `bp >&-`) are taken by /dev/null
/// opened the wrong way round: no file bp opens lands on them (a `:save` could otherwise
/// receive the output), and reading or writing them fails with EBADF, which is reported.
let outputWasClosed = fcntl(1, F_GETFD) < 0
for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) < 0 {
    _ = open("/dev/null", fd == 1 ? O_RDONLY : O_WRONLY)
}
// past `ulimit -f` a write fails with EFBIG, which :save reports, instead of killing bp
signal(SIGXFSZ, SIG_IGN)
// Depending on where the interpreter thread's heap top fell in a run, glibc handed memory
// freed by each epoch back to the kernel and faulted it in again: the spiral's 2,000 epochs
// took 70,000 page faults and twice the time (820 otherwise)
bp_keep_freed_memory()

/// Exits after flushing standard output. Output that could not be written (a closed
/// standard output, a full disk) is an error and exit status 1, not a silent loss.
/// `outputError`: why the shell's last flush failed (it flushes after each input).
func exitFlushingOutput(_ status: Int32, outputError: Int32 = 0) -> Never {
    errno = 0
    if StandardStreams.outputFailed() {
        let code = errno != 0 ? errno : outputError
        let reason = outputWasClosed ? ": standard output is closed" : code == 0 ? "" : ": " + String(cString: strerror(code))
        StandardStreams.error("error: cannot write the output\(reason)\n")
        exit(status == 0 ? 1 : status)
    }
    exit(status)
}

/// What ArgumentParser answers: bp's invocation, or another command of its own to run.
enum Parsed {
    case bp(Invocation)
    case other(ParsableCommand)
}

/// `-e CODE` is taken out before ArgumentParser sees the arguments: CODE may start with
/// any number of '-' (`bp -e '---1'`), which ArgumentParser would read as an option.
func parseCommand() throws -> Parsed {
    var argv = Array(CommandLine.arguments.dropFirst())
    guard let i = argv.firstIndex(of: "-e"), i + 1 < argv.count,
          argv[..<i].allSatisfy({ $0.hasPrefix("-") && $0 != "-" }) else { return try parse(argv) }
    let code = argv[i + 1]
    argv.removeSubrange(i...(i + 1))
    guard case .bp(var invocation) = try parse(argv) else { return try parse(Array(CommandLine.arguments.dropFirst())) }
    invocation.code = code
    return .bp(invocation)
}

/// ArgumentParser's answer for `argv`. Arguments none of which starts with '-' (`bp`,
/// `bp FILE ARGS`, what follows `bp -e CODE`) hold no option: ArgumentParser would make
/// them FILE and its ARGS, and that is built here directly, without even `BP`'s property
/// wrappers. Its parse looks for a completion-script request by reflection over three
/// commands, a third of `bp -e 1`'s instructions (callgrind); everything with an option
/// still goes through it.
func parse(_ argv: [String]) throws -> Parsed {
    if argv.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") }) { return .bp(Invocation(arguments: argv)) }
    let command = try BP.parseAsRoot(argv)
    guard let bp = command as? BP else { return .other(command) }
    return .bp(Invocation(code: bp.code, interactive: bp.interactive, check: bp.check, serve: bp.serve, arguments: bp.arguments))
}

do {
    switch try parseCommand() {
    case .bp(let invocation): try invocation.run()
    case .other(var command): try command.run()
    }
    exitFlushingOutput(0)
} catch {
    let code = BP.exitCode(for: error)
    if code == .success {
        print(BP.fullMessage(for: error))
        exitFlushingOutput(0)
    }
    StandardStreams.error(BP.fullMessage(for: error) + "\n")
    exit(2)
}
