import BPTensor

/// `compare(a, b)`: two tensors side by side — a hand formula against what backward computed —
/// with the largest difference and, when they differ, the likely cause: a transposed matrix,
/// a constant factor (a missing `/ N` shows as factor N), an opposite sign, a shape that
/// would broadcast (the (n, 1) against (n,) slip), the same numbers in another shape.
struct Comparison {
    let a: Tensor, b: Tensor
    let nameA: String, nameB: String
    /// Tolerance, as gradcheck's: absolute 1e-5 plus relative 1e-3.
    static func close(_ x: Double, _ y: Double) -> Bool { Swift.abs(x - y) <= 1e-5 + 1e-3 * Swift.abs(y) }

    static func allClose(_ x: [Double], _ y: [Double]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
    }

    /// True when the two hold the same shape and values (within the tolerance).
    var same: Bool { a.shape == b.shape && Comparison.allClose(a.data, b.data) }

    /// The 2-d transpose of `t`'s values (a 1-d tensor is its own).
    static func transposed(_ t: Tensor) -> (shape: [Int], data: [Double])? {
        guard t.rank == 2 else { return nil }
        let (n, m) = (t.shape[0], t.shape[1]), d = t.data
        return ([m, n], (0..<(n * m)).map { k in d[(k % n) * m + k / n] })
    }

    /// The constant c with a = c * b everywhere (b's zeros matching a's), if there is one.
    static func factor(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, let k = y.indices.first(where: { y[$0] != 0 }) else { return nil }
        let c = x[k] / y[k]
        guard c.isFinite, c != 0, !close(c, 1) else { return nil }
        return zip(x, y).allSatisfy { close($0, c * $1) } ? c : nil
    }

    /// A factor as a student would write it: 4, 1/4, -1, 0.37.
    static func describe(_ c: Double, _ f: Formatter) -> String {
        let inv = 1 / c
        if inv.rounded() == inv, Swift.abs(inv) >= 2 { return "1/\(f.number(inv))" }
        return f.number(c)
    }

    func likelyCause(_ f: Formatter) -> String {
        if a.shape == b.shape {
            if let c = Comparison.factor(a.data, b.data) {
                if close(c, -1) { return "\(nameA) is -1 times \(nameB): a sign is flipped" }
                let inv = 1 / c
                let hint = inv.rounded() == inv && Swift.abs(inv) >= 2 ? " (a missing / \(f.number(inv)) in \(nameB), or an extra one in \(nameA)?)"
                    : (c.rounded() == c ? " (a missing / \(f.number(c)) in \(nameA)?)" : "")
                return "\(nameA) is \(nameB) times a constant: factor \(Comparison.describe(c, f))\(hint)"
            }
            if let t = Comparison.transposed(b), t.shape == a.shape {
                if Comparison.allClose(a.data, t.data) { return "\(nameA) is \(nameB) transposed" }
                if let c = Comparison.factor(a.data, t.data) {
                    return "\(nameA) is \(nameB) transposed and times a constant: factor \(Comparison.describe(c, f))"
                }
            }
            return "no simple relation: the values differ (largest difference above)"
        }
        if let t = Comparison.transposed(b), t.shape == a.shape {
            if Comparison.allClose(a.data, t.data) { return "\(nameA) is \(nameB) transposed: shapes \(describeShape(a.shape)) and \(describeShape(b.shape))" }
            if let c = Comparison.factor(a.data, t.data) {
                return "\(nameA) is \(nameB) transposed and times a constant: factor \(Comparison.describe(c, f))"
            }
        }
        if a.count == b.count, Comparison.allClose(a.data, b.data) {
            var text = "the same numbers in another shape: \(describeShape(a.shape)) against \(describeShape(b.shape))"
            if let s = Broadcast.shape(a.shape, b.shape), s != a.shape, s != b.shape {
                text += "; arithmetic would broadcast them to \(describeShape(s)) without an error"
            }
            return text + " (reshape one)"
        }
        if let s = Broadcast.shape(a.shape, b.shape) {
            return "different shapes \(describeShape(a.shape)) and \(describeShape(b.shape)): arithmetic would broadcast them to \(describeShape(s)) "
                + "without an error (the (n,1) against (n,) slip?)"
        }
        return "different shapes \(describeShape(a.shape)) and \(describeShape(b.shape))"
    }

    private func close(_ x: Double, _ y: Double) -> Bool { Comparison.close(x, y) }

    /// "[1, 0]": the index of row-major element k.
    static func index(of k: Int, in shape: [Int]) -> String {
        var k = k, idx = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
            idx[d] = k % shape[d]
            k /= shape[d]
        }
        return "[" + idx.map(String.init).joined(separator: ", ") + "]"
    }

    func text(_ f: Formatter) -> String {
        var out = Table.render([[nameA + " " + describeShape(a.shape), nameB + " " + describeShape(b.shape)],
                                [Table.cell(f, shape: a.shape, data: a.data), Table.cell(f, shape: b.shape, data: b.data)]])
        if a.shape == b.shape {
            let d = zip(a.data, b.data).map { Swift.abs($0 - $1) }
            let k = d.indices.max(by: { d[$0] < d[$1] }) ?? 0
            if !d.isEmpty {
                let at = a.rank == 0 ? "" : " at " + Comparison.index(of: k, in: a.shape)
                out += "largest difference \(f.number(d[k]))\(at)\n"
            }
        }
        out += same ? "the same (within 1e-5 + 1e-3 relative)\n" : "likely cause: \(likelyCause(f))\n"
        return out
    }
}
