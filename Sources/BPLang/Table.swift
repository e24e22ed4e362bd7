import BPTensor

/// Left-aligned text columns separated by two spaces. A cell may hold several lines (a
/// matrix as an aligned block): its row is then as tall as its tallest cell.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let cells = rows.map { row in row.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } }
        let widths = (0..<first.count).map { c in
            cells.map { c < $0.count ? ($0[c].map(\.count).max() ?? 0) : 0 }.max() ?? 0
        }
        var out = ""
        for row in cells {
            let height = row.map(\.count).max() ?? 1
            for k in 0..<height {
                var line = ""
                for (c, cell) in row.enumerated() {
                    let s = k < cell.count ? cell[k] : ""
                    line += c == row.count - 1 ? s : s + String(repeating: " ", count: widths[c] - s.count) + "  "
                }
                while line.hasSuffix(" ") { line.removeLast() }
                out += line + "\n"
            }
        }
        return out
    }

    /// A tensor's values in a cell, never cut: a short vector inline, a small matrix as an
    /// aligned block, anything larger as a summary (`(3,4) min -0.77 max 0.8`).
    static func cell(_ f: Formatter, shape: [Int], data: [Double]) -> String {
        let t = Tensor(shape: shape, data: data)
        if t.rank <= 1 && t.count <= 6 { return f.tensor(t) }
        if t.rank == 2 && t.shape[0] <= 6 && t.count <= 24 { return f.tensor(t) }
        var g = f
        g.digits = min(f.digits, 4)  // a summary is a glance, not a value
        let mean = data.reduce(0, +) / Double(max(data.count, 1))
        return "\(describeShape(shape)) min \(g.number(data.min() ?? 0)) mean \(g.number(mean)) max \(g.number(data.max() ?? 0))"
    }

    /// A list in a cell: its items while they fit in `width` characters, then how many more;
    /// a tensor item as its shape, so no number is cut.
    static func listCell(_ f: Formatter, _ items: [Value], width: Int = 40) -> String {
        var parts: [String] = []
        var used = 2
        for (k, item) in items.enumerated() {
            let text: String
            switch item {
            case .tensor(let t) where t.count > 1: text = "tensor\(describeShape(t.shape))"
            case .list(let l): text = "list(\(l.items.count) items)"
            default: text = f.repr(item)
            }
            if used + text.count > width && k > 0 {
                parts.append("... \(items.count - k) more")
                break
            }
            parts.append(text)
            used += text.count + 2
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
