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
                value = Table.cell(f, shape: t.shape, data: t.data)
                if let g = t.grad { grad = Table.cell(f, shape: t.shape, data: g) } else if t.kind == .constant {
                    grad = "(constant)"
                }
                let role = t.kind == .leaf ? "leaf" : (t.kind == .node ? "node" : "const")
                rows.append([name, "\(v.kindName) \(role)", shape, value, grad])
                continue
            case .function(let fn): value = fn.signature
            case .formula(let fo): value = ":= " + fo.source
            case .host(let h): value = h.describe(f)
            case .list(let l): shape = "\(l.items.count) items"; value = Table.listCell(f, l.items)
            case .string(let str):
                let text = f.repr(v)
                value = text.count <= 40 ? text : Formatter.quoted(String(str.prefix(30))).dropLast() + "...\" (\(str.count) characters)"
            default: value = f.repr(v)
            }
            rows.append([name, v.kindName, shape, value, grad])
        }
        return Table.render(rows)
    }
}
