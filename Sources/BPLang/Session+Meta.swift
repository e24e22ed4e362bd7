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

    /// The `:vars` table.
    public func vars() -> String {
        let vars = interp.userVariables
        if vars.isEmpty { return "no variables yet\n" }
        let f = interp.formatter
        var rows: [[String]] = [["name", "kind", "shape", "value", "grad"]]
        for (name, v) in vars {
            var shape = "", value = "", grad = ""
            switch v {
            case .tensor(let t):
                shape = t.rank == 0 ? "" : describeShape(t.shape)
                value = t.count <= 6 ? f.tensor(t).replacingOccurrences(of: "\n", with: "") : summary(t.data)
                if let g = t.grad { grad = t.count <= 6 ? f.tensor(Tensor(shape: t.shape, data: g)).replacingOccurrences(of: "\n", with: "") : summary(g) } else if t.kind == .constant {
                    grad = "(constant)"
                }
                let role = t.kind == .leaf ? "leaf" : (t.kind == .node ? "node" : "const")
                rows.append([name, "\(v.kindName) \(role)", shape, value, grad])
                continue
            case .function(let fn): value = fn.signature
            case .formula(let fo): value = ":= " + fo.source
            case .list(let l): shape = "\(l.items.count) items"; value = String(f.string(v).prefix(40))
            default: value = String(f.repr(v).prefix(40))
            }
            rows.append([name, v.kindName, shape, value, grad])
        }
        return Table.render(rows)
    }

    func summary(_ d: [Double]) -> String {
        var f = interp.formatter
        f.digits = min(f.digits, 4)  // a summary is a glance, not a value
        let mean = d.reduce(0, +) / Double(max(d.count, 1))
        return "min \(f.number(d.min() ?? 0)) mean \(f.number(mean)) max \(f.number(d.max() ?? 0))"
    }

    // MARK: completion

    static let attributeNames = Attributes.tensorAttributes

    /// Candidates replacing `word`, the text being completed; `before` is the line up to it.
    public func completions(for word: String, before: String) -> [String] {
        // inside a string: file names
        if before.filter({ $0 == "\"" }).count % 2 == 1 {
            return Session.files(matching: word)
        }
        if word.hasPrefix(":") && before.trimmingCharacters(in: .whitespaces).isEmpty {
            return Session.metaCommands.filter { $0.hasPrefix(word) }
        }
        if before.trimmingCharacters(in: .whitespaces).hasPrefix(":load") || before.trimmingCharacters(in: .whitespaces).hasPrefix(":save") {
            return Session.files(matching: word)
        }
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot]), partial = String(word[word.index(after: dot)...])
            guard let v = interp.global(base) else { return [] }
            let names: [String]
            switch v {
            case .tensor, .number: names = Session.attributeNames
            default: names = []
            }
            return names.filter { $0.hasPrefix(partial) }.map { base + "." + $0 }
        }
        let keywords = Keyword.allCases.map(\.rawValue)
        let names = Set(keywords + interp.boundNames.filter { $0 != "_" })
        return names.filter { $0.hasPrefix(word) }.sorted()
    }

    static func files(matching word: String) -> [String] {
        let dir = (word as NSString).deletingLastPathComponent
        let prefix = (word as NSString).lastPathComponent
        let listDir = dir.isEmpty ? "." : dir
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: listDir) else { return [] }
        let partial = word.hasSuffix("/") ? "" : prefix
        let base = word.hasSuffix("/") ? word : (dir.isEmpty ? "" : dir + "/")
        return items.filter { $0.hasPrefix(partial) && !$0.hasPrefix(".") || (partial.hasPrefix(".") && $0.hasPrefix(partial)) }
            .sorted().map { name in
                var isDir: ObjCBool = false
                FileManager.default.fileExists(atPath: (listDir as NSString).appendingPathComponent(name), isDirectory: &isDir)
                return base + name + (isDir.boolValue ? "/" : "")
            }
    }
}

/// Writes a file atomically: a temporary file beside it, fsync, rename; keeps the mode of
/// an existing file and writes through a symlink to its target.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { dest in
            dest.hasPrefix("/") ? dest : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
        } ?? path
        let dir = (target as NSString).deletingLastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/.\((target as NSString).lastPathComponent).tmp\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count
        fsync(fd)
        var st = stat()
        if stat(target, &st) == 0 { fchmod(fd, st.st_mode & 0o7777) }
        close(fd)
        guard ok, rename(tmp, target) == 0 else {
            unlink(tmp)
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
