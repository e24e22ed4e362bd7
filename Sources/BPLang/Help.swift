/// One builtin's help: a paragraph and an example (the signature comes from the function).
/// Each builtin declares it beside its parameters (see `Builtin`).
public struct Help {
    public let text: String
    public let example: String
}

extension Help {
    /// A paragraph wrapped at `width` columns, each line indented by two spaces.
    static func wrap(_ text: String, width: Int = 88) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width - 2 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { "  " + $0 }.joined(separator: "\n")
    }

    /// A long signature (train's) broken after a comma, the rest indented under it.
    static func wrapSignature(_ signature: String, width: Int = 88) -> String {
        var lines: [String] = [], line = ""
        for part in signature.components(separatedBy: ", ") {
            if !line.isEmpty && line.count + 2 + part.count > width {
                lines.append(line + ",")
                line = "    " + part
            } else {
                line += (line.isEmpty ? "" : ", ") + part
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

extension Interpreter {
    /// The help text for a name: signature, paragraph, example. An empty name lists topics.
    public func helpText(_ name: String) -> String {
        if name.isEmpty {
            let names = builtinNames.filter { builtinHelp($0) != nil }.sorted()
            return "Builtins: " + names.joined(separator: " ") + "\nConstants: pi e inf nan\n"
                + "Type help(name) or ?name for one of them; :help lists the shell's commands."
        }
        if let h = builtinHelp(name), case .function(let f)? = pristine[name] {
            return Help.wrapSignature(f.signature) + "\n" + Help.wrap(h.text) + "\n  Example: \(h.example)"
        }
        let constants = [
            "pi": ("The ratio of a circle's circumference to its diameter (π).", "sin(pi / 2)   # 1"),
            "e": ("Euler's number, the base of the natural logarithm: exp(1) is e.", "log(e)   # 1"),
            "inf": ("Positive infinity: larger than every number, as 1 / 0 and exp(1000) give; -inf is negative infinity.", "min(inf, 3)   # 3"),
            "nan": ("Not a number: the result of undefined arithmetic such as inf - inf. nan is not equal to anything, itself included.", "nan == nan   # false"),
        ]
        if let (text, example) = constants[name], let v = global(name), let p = pristine[name], sameObject(v, p),
           case .number(let x) = v {
            return (x.isFinite ? "\(name) = \(x)\n" : "\(name)\n") + Help.wrap(text + " A predefined constant.") + "\n  Example: \(example)"
        }
        if let v = global(name) {
            switch v {
            case .function(let f): return "\(f.signature)\n  A function you defined."
            default: return "\(name): a \(describe(v)) variable."
            }
        }
        if ["pi", "e", "inf", "nan"].contains(name) { return "\(name): a predefined constant." }
        return "no help for '\(name)'" + suggestion(name, builtinNames.filter { builtinHelp($0) != nil })
    }

    /// The help a builtin was declared with (the builtin as installed, even when shadowed).
    func builtinHelp(_ name: String) -> Help? {
        guard case .function(let f)? = pristine[name] else { return nil }
        return f.help
    }
}
