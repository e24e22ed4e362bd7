import BPTensor

/// `explain(f, x)`: the multivariate chain rule as a sum over paths. Every path from x up to f
/// is a product of numeric local derivatives (one per edge, taken from a traced backward
/// pass); df/dx is the sum of the products.
struct PathSum {
    /// One edge of a path: from `lower` up to `upper`, with d upper / d lower.
    struct Edge {
        let lower: Tensor
        let upper: Tensor
        let local: Double
    }

    /// At most this many paths are listed; the rest are counted.
    static let shown = 20
    /// Paths are enumerated only up to this many (their number grows exponentially).
    static let enumerated = 100_000

    let paths: [[Edge]]
    /// The number of paths (a Double: it can exceed every integer type).
    let count: Double

    /// The paths from `x` to the explanation's root. Throws when an edge carries a tensor.
    init(_ e: Explain, _ x: Tensor) throws {
        var up: [ObjectIdentifier: [Edge]] = [:]  // edges from a node down to its inputs
        for s in e.steps {
            up[ObjectIdentifier(s.via), default: []].append(Edge(lower: s.target, upper: s.via, local: s.local.first ?? 0))
        }
        // the number of paths from each node down to x, inputs first
        var counts: [ObjectIdentifier: Double] = [ObjectIdentifier(x): 1]
        for t in e.order where t !== x {
            let c = (up[ObjectIdentifier(t)] ?? []).reduce(0.0) { $0 + (counts[ObjectIdentifier($1.lower)] ?? 0) }
            if c > 0 { counts[ObjectIdentifier(t)] = c }
        }
        count = counts[ObjectIdentifier(e.root)] ?? 0
        for t in e.order where counts[ObjectIdentifier(t)] != nil && t.count != 1 {
            throw BPError.runtime("explain(f, x) follows paths of numbers, but \(e.name(t)) is a tensor of shape \(describeShape(t.shape)): explain(f) shows the matrix form")
        }
        guard count > 0, count <= Double(PathSum.enumerated) else { paths = []; return }
        var found: [[Edge]] = []
        var path: [Edge] = []
        func walk(_ t: Tensor) {
            if t === x { found.append(path.reversed()); return }
            for edge in up[ObjectIdentifier(t)] ?? [] where counts[ObjectIdentifier(edge.lower)] != nil {
                path.append(edge)
                walk(edge.lower)
                path.removeLast()
            }
        }
        walk(e.root)
        paths = found
    }

    static func product(_ p: [Edge]) -> Double { p.reduce(1.0) { $0 * $1.local } }

    /// The paths, each as names, symbolic product, numbers and contribution, then the total.
    func text(_ e: Explain, _ x: Tensor) -> String {
        let f = e.name(e.root), xn = e.name(x)
        if count == 0 { return "\(f) does not depend on \(xn) along any path: d\(f)/d\(xn) = 0\n" }
        let n = count < 1e15 ? String(Int(count)) : e.formatter.number(count)
        var s = "\(n) path\(count == 1 ? "" : "s") from \(xn) to \(f):\n"
        if paths.isEmpty {
            return s + "  too many to list (more than \(PathSum.enumerated)); explain(\(f)) shows the gradients node by node\n"
        }
        var listed = paths.map { ($0, PathSum.product($0)) }
        if paths.count > PathSum.shown {
            s += "  the \(PathSum.shown) largest contributions:\n"
            listed = Array(listed.enumerated().sorted {
                abs($0.element.1) != abs($1.element.1) ? abs($0.element.1) > abs($1.element.1) : $0.offset < $1.offset
            }.prefix(PathSum.shown).map(\.element))
        }
        for (p, c) in listed {
            let route = ([xn] + p.map { e.name($0.upper) }).joined(separator: " -> ")
            let symbolic = p.reversed().map { "d\(e.name($0.upper))/d\(e.name($0.lower))" }.joined(separator: " * ")
            let numeric = p.reversed().map { e.operand($0.local) }.joined(separator: " * ")
            s += "  \(route): \(symbolic) = \(numeric) = \(e.formatter.number(c))\n"
        }
        let total = paths.reduce(0.0) { $0 + PathSum.product($1) }
        if paths.count > 1 && paths.count <= PathSum.shown {
            s += "d\(f)/d\(xn) = " + listed.map { e.operand($0.1) }.joined(separator: " + ") + " = \(e.formatter.number(total))\n"
        } else {
            s += "d\(f)/d\(xn) = \(e.formatter.number(total))\n"
        }
        return s
    }
}
