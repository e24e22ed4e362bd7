import BPTensor
import Foundation

extension Session {
    /// A shell command: its name, what it takes, one line for the list, help and an example.
    struct MetaCommand {
        let name: String, args: String, summary: String, text: String, example: String
        /// `usage: :name ARGS`
        var usage: String { "usage: " + (name + " " + args).trimmingCharacters(in: .whitespaces) }
        var help: String { "\(name) \(args)".trimmingCharacters(in: .whitespaces) + "\n" + Help.wrap(text) + "\n  Example: \(example)" }
    }

    static let commands: [MetaCommand] = [
        MetaCommand(name: ":help", args: "[name]", summary: "this list, or the help of a builtin, constant or command (also ?name)",
                    text: "Lists the shell's commands and the builtins; with a name, shows the help of that builtin, constant or :command. ?name and help(name) do the same.",
                    example: ":help sigmoid"),
        MetaCommand(name: ":vars", args: "", summary: "every variable: kind, shape, value or summary, gradient",
                    text: "Lists every variable: its kind, shape, value (a min/mean/max summary for a large tensor) and gradient.",
                    example: ":vars"),
        MetaCommand(name: ":reset", args: "", summary: "forget every variable",
                    text: "Forgets every variable and restores the builtins, as in a new shell; :save starts again from here.",
                    example: ":reset"),
        MetaCommand(name: ":load", args: "FILE", summary: "run a script into this session",
                    text: "Runs a script into this session: the variables it makes stay. :save writes the file's text in full where it ran.",
                    example: ":load lib.bp"),
        MetaCommand(name: ":save", args: "FILE", summary: "write this session's successful inputs as a runnable .bp script",
                    text: "Writes the statements that ran without error as a .bp script that rebuilds this session: :load'ed files in full, meta commands left out. The file is replaced atomically.",
                    example: ":save lesson.bp"),
        MetaCommand(name: ":time", args: "STATEMENT", summary: "run a statement and show how long it took",
                    text: "Runs a statement and shows how long it took.",
                    example: ":time sum(randn(1000, 1000))"),
        MetaCommand(name: ":precision", args: "[N]", summary: "significant digits of numbers; no N: show it",
                    text: "Sets how many significant digits numbers are shown with (and the decimals of tensors), from 1 to 17; with no N, shows the current value.",
                    example: ":precision 10"),
        MetaCommand(name: ":quit", args: "", summary: "leave (Ctrl-D does too)",
                    text: "Leaves the shell; Ctrl-D, :q and :exit do too.",
                    example: ":quit"),
    ]

    public static let metaCommands = commands.map(\.name)

    static let metaHelp: String = {
        let left = commands.map { "\($0.name) \($0.args)".trimmingCharacters(in: .whitespaces) }
        let width = left.map(\.count).max()! + 2
        return zip(left, commands).map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + $0.1.summary }
            .joined(separator: "\n")
    }()

    /// The command a name means: `:vars`, `vars` (when no builtin or variable has the
    /// name) and the aliases `:q`, `:exit`.
    func metaCommand(named name: String) -> MetaCommand? {
        let full = name.hasPrefix(":") ? name : ":" + name
        if !name.hasPrefix(":") && interp.global(name) != nil { return nil }
        let canonical = full == ":q" || full == ":exit" ? ":quit" : full
        return Session.commands.first { $0.name == canonical }
    }

    /// `:help NAME` and `?NAME`: a command's help, or the interpreter's for a builtin,
    /// constant or variable.
    public func help(_ name: String) -> String {
        EngineLock.run { helpLocked(name) }
    }

    private func helpLocked(_ name: String) -> String {
        if name.isEmpty { return Session.metaHelp + "\n" + interp.helpText("") }
        if let c = metaCommand(named: name) { return c.help }
        if name.hasPrefix(":") {
            let s = Suggest.nearest(name, in: Session.metaCommands).map { "; did you mean '\($0)'?" } ?? ""
            return "no help for '\(name)'\(s)"
        }
        return interp.helpText(name)
    }

    func meta(_ line: String) -> Outcome {
        let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let command = parts[0]
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        // a command that takes nothing rejects an argument, rather than ignore it
        if !arg.isEmpty, let c = metaCommand(named: command), c.args.isEmpty {
            errorOutput(c.usage + "\n")
            return .failed
        }
        switch command {
        case ":help":
            interp.write(help(arg) + "\n")
        case ":vars":
            if let display = interp.displayOutput {
                display(Display(["text/plain": vars(), "text/html": varsHTML()]))
            } else {
                interp.write(vars())
            }
        case ":reset":
            interp.reset()
            history.removeAll()
        case ":load":
            guard !arg.isEmpty else { errorOutput("usage: :load FILE\n"); return .failed }
            // the file's text is kept for :save (as much of it as ran)
            if runFile(arg, record: ":load \(arg)") != .ok { return .failed }
        case ":save":
            guard !arg.isEmpty else { errorOutput("usage: :save FILE\n"); return .failed }
            let text = history.map { $0 + "\n" }.joined()
            do {
                try AtomicFile.write(text, to: arg)
                interp.write("saved \(history.count) input\(history.count == 1 ? "" : "s") to \(arg)\n")
            } catch let e as FileWriteError {
                errorOutput("error: \(e.message)\n")
                return .failed
            } catch {
                errorOutput("error: cannot write '\(arg)': \(error)\n")
                return .failed
            }
        case ":time":
            guard !arg.isEmpty else { errorOutput("usage: :time STATEMENT\n"); return .failed }
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = evaluate(arg)
            let ns = Double(DispatchTime.now().uptimeNanoseconds - start)
            interp.write("time: " + Session.duration(ns / 1e9) + "\n")
            return outcome
        case ":precision":
            if arg.isEmpty {
                interp.write("precision: \(interp.formatter.digits)\n")
                return .done
            }
            guard let n = Int(arg), n >= 1, n <= 17 else { errorOutput("usage: :precision [N] (N from 1 to 17)\n"); return .failed }
            interp.formatter.digits = n
            interp.formatter.decimals = n
        case ":quit", ":q", ":exit":
            return .quit
        default:
            let s = Suggest.nearest(command, in: Session.metaCommands).map { "; did you mean '\($0)'?" } ?? ""
            errorOutput("unknown command '\(command)'\(s) (type :help)\n")
            return .failed
        }
        return .done
    }

    static func duration(_ s: Double) -> String {
        if s < 1e-3 { return Formatter.cFormat("%.1f µs", s * 1e6) }
        if s < 1 { return Formatter.cFormat("%.2f ms", s * 1e3) }
        return Formatter.cFormat("%.3f s", s)
    }
}
