import BPTensor
import Foundation

extension Session {
    /// The `:vars` table.
    public func vars() -> String {
        let rows = EngineLock.run { varRows() }
        return rows.count <= 1 ? "no variables yet\n" : Table.render(rows)
    }

    /// The `:vars` table in HTML, for a notebook: a matrix cell keeps its lines (`<pre>`).
    public func varsHTML() -> String {
        let rows = EngineLock.run { varRows() }
        if rows.count <= 1 { return "<p>no variables yet</p>" }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func cell(_ s: String, _ tag: String) -> String {
            let text = escape(s)
            return "<\(tag)>" + (s.contains("\n") ? "<pre>\(text)</pre>" : text) + "</\(tag)>"
        }
        var html = "<table>\n<tr>" + rows[0].map { cell($0, "th") }.joined() + "</tr>\n"
        for row in rows.dropFirst() { html += "<tr>" + row.map { cell($0, "td") }.joined() + "</tr>\n" }
        return html + "</table>"
    }

    /// The `:vars` rows, a header first: name, kind, shape, value, grad.
    func varRows() -> [[String]] {
        let vars = interp.userVariables
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
        return rows
    }
}
