import BPTensor
import Foundation

extension Session {
    static let attributeNames = Attributes.tensorAttributes

    /// Candidates replacing `word`, the text being completed; `before` is the line up to it.
    /// Relative file names are looked up in `directory`.
    public func completions(for word: String, before: String, directory: String = ".") -> [String] {
        EngineLock.run { completionsLocked(for: word, before: before, directory: directory) }
    }

    private func completionsLocked(for word: String, before: String, directory: String) -> [String] {
        // a file name: inside a string, or after :load / :save
        if let typed = Session.pathTyped(before: before) {
            // the line editor breaks words at `/` and `-`: complete the whole path, then
            // hand back only the part that replaces `word`
            let n = typed.unicodeScalars.count
            return Session.files(matching: typed + word, in: directory).compactMap { path in
                path.unicodeScalars.starts(with: typed.unicodeScalars) ? String(path.unicodeScalars.dropFirst(n)) : nil
            }
        }
        if word.hasPrefix(":") && before.trimmingCharacters(in: .whitespaces).isEmpty {
            return Session.metaCommands.filter { $0.hasPrefix(word) }
        }
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot]), partial = String(word[word.index(after: dot)...])
            guard let v = interp.global(base) else { return [] }
            let names: [String]
            switch v {
            case .tensor, .number: names = Session.attributeNames
            case .host(let h): names = h.attributeNames
            default: names = []
            }
            return names.filter { $0.hasPrefix(partial) }.map { base + "." + $0 }
        }
        let keywords = Keyword.allCases.map(\.rawValue)
        let names = Set(keywords + interp.boundNames.filter { $0 != "_" })
        return names.filter { $0.hasPrefix(word) }.sorted()
    }

    /// The part of a file name typed before the word being completed, when the cursor is in
    /// a file name: inside an open string, or in the argument of `:load`/`:save`.
    static func pathTyped(before: String) -> String? {
        var open: String.Index? = nil, escaped = false
        for i in before.indices {
            let c = before[i]
            if open != nil {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { open = nil }
            } else if c == "\"" {
                open = before.index(after: i)
            } else if c == "#" {
                break  // a comment
            }
        }
        if let open { return String(before[open...]) }
        let line = before.drop { $0 == " " || $0 == "\t" }
        for command in [":load", ":save"] where line.hasPrefix(command + " ") {
            return String(line.dropFirst(command.count).drop { $0 == " " || $0 == "\t" })
        }
        return nil
    }

    /// Files and folders whose path starts with `path`, relative or absolute; a folder ends
    /// in `/`; hidden files only when the name typed starts with `.`. Plain string
    /// operations: NSString's path methods trap on some inputs. Relative to `base`.
    static func files(matching path: String, in base: String = ".") -> [String] {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let partial = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let listDir = dir.hasPrefix("/") ? dir : base + "/" + dir
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: listDir) else { return [] }
        return items.filter { $0.hasPrefix(partial) && (partial.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted().map { name in
                var isDir: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: listDir + "/" + name, isDirectory: &isDir)
                return dir + name + (exists && isDir.boolValue ? "/" : "")
            }
    }
}
