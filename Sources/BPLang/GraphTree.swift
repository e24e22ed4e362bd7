import BPTensor

/// `graph(f)`: a graph as a tree in the terminal, the output first, each node's inputs
/// below it with box-drawing branches, and columns for the operation, value and gradient.
/// A node reached a second time (a shared node, `b` in `(a + b) * (b + c)`) is printed once
/// and referenced after (`↑ see (b + c)`). Below `depth` levels, and after `limit` nodes,
/// a branch is cut and says how many nodes it leaves out, so that a 10^4-node graph prints
/// a page. Iterative: a chain a million nodes deep does not overflow the stack.
struct GraphTree {
    let text: GraphNodeText
    let depth: Int
    let limit: Int

    func render(_ root: Tensor) -> String {
        var rows: [[String]] = []
        let showGrad = root.grad != nil
        rows.append(showGrad ? ["node", "op", "value", "grad"] : ["node", "op", "value"])
        var seen = Set<ObjectIdentifier>()  // printed, referenced or counted as left out
        var shown = 0, leftOut = 0
        // (tensor, prefix of its children, its own branch, its level)
        var stack: [(Tensor, String, String, Int)] = [(root, "", "", 0)]
        while let (t, prefix, branch, level) = stack.popLast() {
            let id = ObjectIdentifier(t)
            if seen.contains(id) {
                rows.append([branch + "↑ see " + text.label(t)])
                continue
            }
            if shown >= limit {
                let n = count(t, &seen)
                leftOut += n
                rows.append([branch + "… \(n) more node\(n == 1 ? "" : "s")"])
                continue
            }
            seen.insert(id)
            shown += 1
            var row = [branch + text.label(t), text.operation(t), text.value(t)]
            if showGrad { row.append(text.grad(t)) }
            rows.append(row)
            let inputs = t.inputs
            if inputs.isEmpty { continue }
            if level + 1 > depth {
                var n = 0
                for x in inputs { n += count(x, &seen) }
                leftOut += n
                if n > 0 { rows.append([prefix + "└─ … \(n) more node\(n == 1 ? "" : "s")"]) }
                continue
            }
            for (k, x) in inputs.enumerated().reversed() {
                let last = k == inputs.count - 1
                stack.append((x, prefix + (last ? "   " : "│  "), prefix + (last ? "└─ " : "├─ "), level + 1))
            }
        }
        var out = Table.render(rows)
        if leftOut > 0 {
            out += "\(leftOut) of \(shown + leftOut) nodes not shown (cut at depth=\(depth), nodes=\(limit)); larger depth= and nodes= show more\n"
        }
        return out
    }

    /// How many nodes under `t` (itself included) are not in `seen` yet; marks them seen.
    func count(_ t: Tensor, _ seen: inout Set<ObjectIdentifier>) -> Int {
        var n = 0
        var stack = [t]
        while let x = stack.popLast() {
            guard seen.insert(ObjectIdentifier(x)).inserted else { continue }
            n += 1
            stack.append(contentsOf: x.inputs)
        }
        return n
    }
}
