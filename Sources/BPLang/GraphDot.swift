import BPTensor

/// `dot(f, "f.dot")`: a graph as Graphviz DOT, inputs above the nodes that use them. Each
/// node is a box with its label, its operation, its value and (after backward) its gradient;
/// each edge goes from an input to the node that uses it. Every node appears once, however
/// many nodes use it.
struct GraphDot {
    let text: GraphNodeText

    func render(_ root: Tensor) -> String {
        // every tensor under root, constants included, inputs first (iteratively)
        var ids: [ObjectIdentifier: Int] = [:]
        var order: [Tensor] = []
        var stack: [(Tensor, Bool)] = [(root, false)]
        var entered = Set<ObjectIdentifier>()
        while let (t, expanded) = stack.popLast() {
            let id = ObjectIdentifier(t)
            if expanded {
                if ids[id] == nil { ids[id] = order.count; order.append(t) }
                continue
            }
            guard entered.insert(id).inserted else { continue }
            stack.append((t, true))
            for x in t.inputs.reversed() where !entered.contains(ObjectIdentifier(x)) { stack.append((x, false)) }
        }
        var out = "digraph bp {\n"
        out += "  rankdir=BT;\n"
        out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f4f4\", fontname=\"Helvetica\", fontsize=12];\n"
        out += "  edge [color=\"#555555\", arrowsize=0.7];\n"
        for (k, t) in order.enumerated() {
            var lines = [text.label(t), text.operation(t), "value " + text.value(t)]
            let g = text.grad(t)
            if !g.isEmpty { lines.append("grad " + g) }
            let fill = t.kind == .leaf ? "#dbe9f6" : (t.kind == .constant ? "#eeeeee" : "#f4f4f4")
            let label = lines.map(GraphDot.escape).joined(separator: "\\n")
            out += "  n\(k) [label=\"\(label)\", fillcolor=\"\(fill)\"\(k == order.count - 1 ? ", penwidth=2" : "")];\n"
        }
        for (k, t) in order.enumerated() {
            for x in t.inputs { out += "  n\(ids[ObjectIdentifier(x)]!) -> n\(k);\n" }
        }
        out += "}\n"
        return out
    }

    /// A string inside a DOT "..." string.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
