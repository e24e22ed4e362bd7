import BPTensor

/// How `graph` and `dot` show one node of a graph: its label (cut when long), its operation
/// (`leaf`, `const`, or the operation's symbol, with the constant it keeps: `* 1.0001`) and its value or gradient on one line (a
/// number; a short tensor as its shape and values; a larger one as its shape and a summary).
struct GraphNodeText {
    let formatter: Formatter

    /// Labels longer than this are cut with `…` (a 40,000-term line has a long label).
    static let labelWidth = 40

    func label(_ t: Tensor) -> String {
        let text = t.labelText.replacingOccurrences(of: "\n", with: " ")
        guard text.count > GraphNodeText.labelWidth else { return text }
        return String(text.prefix(GraphNodeText.labelWidth - 1)) + "…"
    }

    func operation(_ t: Tensor) -> String {
        switch t.kind {
        case .leaf: return "leaf"
        case .constant: return "const"
        case .node:
            guard let op = t.op else { return "?" }
            // the number kept in the node (`y * 1.0001`, `1 - y`) is part of the operation
            guard let left = op.constantIsLeft else { return op.symbol }
            let c = formatter.number(t.constant)
            return left ? "\(c) \(op.symbol)" : "\(op.symbol) \(c)"
        }
    }

    /// Values on one line: `15`, `(3,1) [0.6, 1.2, 1.8]`, `(4,3) min -0.8 mean 0.1 max 0.9`.
    func values(_ shape: [Int], _ data: [Double]) -> String {
        if shape.isEmpty, let x = data.first { return formatter.number(x) }
        var g = formatter
        g.digits = min(formatter.digits, 4)  // a graph is a glance, not a value
        if data.count <= 4 {
            return describeShape(shape) + " [" + data.map(g.number).joined(separator: ", ") + "]"
        }
        let mean = data.reduce(0, +) / Double(max(data.count, 1))
        return "\(describeShape(shape)) min \(g.number(data.min() ?? 0)) mean \(g.number(mean)) max \(g.number(data.max() ?? 0))"
    }

    func value(_ t: Tensor) -> String { values(t.shape, t.data) }

    /// The gradient, or "" before backward (and for constants).
    func grad(_ t: Tensor) -> String {
        guard t.kind != .constant, let g = t.grad else { return "" }
        return values(t.shape, g)
    }
}
