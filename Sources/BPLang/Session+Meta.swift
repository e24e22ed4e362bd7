import BPTensor
import Foundation

extension Session {
    public static let metaCommands = [":help", ":vars", ":reset", ":load", ":save", ":time", ":precision", ":quit"]

    static let metaHelp = """
    :help [name]     this list, or a builtin's help (also ?name and help(name))
    :vars            every variable: kind, shape, value or summary, gradient
    :reset           forget every variable
    :load FILE       run a script into this session
    :save FILE       write this session's successful inputs as a runnable .bp script
    :time STATEMENT  run a statement and show how long it took
    :precision N     significant digits of numbers (and decimals of tensors)
    :quit            leave (Ctrl-D does too)
    """

    func meta(_ line: String) -> Outcome {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let command = parts[0]
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch command {
        case ":help":
            interp.write(arg.isEmpty ? Session.metaHelp + "\n" + interp.helpText("") + "\n" : interp.helpText(arg) + "\n")
        case ":vars":
            interp.write(vars())
        case ":reset":
            interp.reset()
            history.removeAll()
        case ":load":
            guard !arg.isEmpty else { errorOutput("usage: :load FILE\n"); return .failed }
            let status = runFile(arg)
            if status != .ok { return .failed }
            history.append(":load \(arg)")
        case ":save":
            guard !arg.isEmpty else { errorOutput("usage: :save FILE\n"); return .failed }
            let text = history.map { $0.hasPrefix(":load ") ? "# " + $0 : $0 }.joined(separator: "\n") + "\n"
            do {
                try AtomicFile.write(text, to: arg)
                interp.write("saved \(history.count) input\(history.count == 1 ? "" : "s") to \(arg)\n")
            } catch {
                errorOutput("error: cannot write '\(arg)': \(error.localizedDescription)\n")
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
            guard let n = Int(arg), n >= 1, n <= 17 else { errorOutput("usage: :precision N (1 to 17)\n"); return .failed }
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
