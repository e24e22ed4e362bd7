/// The nearest known name for a misspelt one (edit distance, small enough to be a typo).
public enum Suggest {
    public static func nearest(_ name: String, in candidates: [String]) -> String? {
        let a = Array(name.lowercased())
        var best: (String, Int)? = nil
        for c in Set(candidates) where c != name && !c.isEmpty {
            let d = distance(a, Array(c.lowercased()))
            // a third of the shorter name, at least one edit from three letters on: one-letter
            // names are too short to guess between ('y' is not a typo of 'e')
            let limit = a.count < 3 ? 0 : max(1, min(a.count, c.count) / 3)
            if d <= limit, best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    /// "; did you mean 'sigmoid'?" when a known name is close enough, else "".
    static func didYouMean(_ name: String, _ candidates: [String]) -> String {
        nearest(name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Damerau-Levenshtein distance (adjacent transpositions count once).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
