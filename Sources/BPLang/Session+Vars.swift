import BPTensor
import Foundation

extension Session {
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
}
