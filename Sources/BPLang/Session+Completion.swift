import Foundation

extension Session {
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
