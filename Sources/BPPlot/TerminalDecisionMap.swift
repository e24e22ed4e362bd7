/// A decision map as terminal text: each cell shaded by the model's answer at its centre, the
/// data points on top, inside a `TerminalFrame`. With two classes the shade follows the
/// probability of class 1 — blank below 0.35 (surely class 0), `·` to 0.5, `▒` to 0.65, `░`
/// above (surely class 1, a light shade so points stay readable on it) — so the boundary is
/// where `·` meets `▒`; points are `o` (class 0) and `x` (class 1). With more
/// classes each class has its shade (blank, `░`, `▒`, `▓`, then `:`...) and points show their
/// class number. Exactly `height` lines of `width` characters.
public struct TerminalDecisionMap {
    public let map: DecisionMap
    public let width: Int
    public let height: Int

    public init(_ map: DecisionMap, width: Int, height: Int) {
        self.map = map
        self.width = Swift.max(width, TerminalLinePlot.minimumWidth)
        self.height = Swift.max(height, TerminalLinePlot.minimumHeight)
    }

    static let classShades: [Character] = [" ", "░", "▒", "▓", ":", "+", "=", "%", "#", "@"]

    /// The shade of one answer.
    func shade(_ v: Double) -> Character {
        if map.classCount > 2 {
            guard v.isFinite, v >= 0 else { return "?" }
            return TerminalDecisionMap.classShades[Int(v) % TerminalDecisionMap.classShades.count]
        }
        guard v.isFinite else { return "?" }
        return v < 0.35 ? " " : v < 0.5 ? "·" : v < 0.65 ? "▒" : "░"
    }

    /// The mark of a point of class `label`.
    func mark(_ label: Int) -> Character {
        if map.classCount > 2 { return Character(String(label % 10)) }
        return label == 0 ? "o" : "x"
    }

    public func render() -> String {
        let xAxis = Axis(lo: map.xLo, hi: map.xHi, tickTarget: Swift.max(1, (width - 8) / 12))
        let yAxis = Axis(lo: map.yLo, hi: map.yHi, tickTarget: Swift.max(1, (height - 2) / 3))
        let frame = TerminalFrame(x: xAxis, y: yAxis, width: width, height: height)
        let columns = frame.plotColumns, rows = frame.plotRows
        var marks = [Int: Character]()
        for p in map.points {
            guard let c = TerminalFrame.position(xAxis.fraction(p.x), columns),
                  let r = TerminalFrame.position(yAxis.fraction(p.y), rows),
                  c >= 0, c < columns, r >= 0, r < rows else { continue }
            marks[(rows - 1 - r) * columns + c] = mark(p.label)
        }
        return frame.render { c, r in
            if let m = marks[r * columns + c] { return m }
            let fx = columns > 1 ? Double(c) / Double(columns - 1) : 0.5
            let fy = rows > 1 ? Double(rows - 1 - r) / Double(rows - 1) : 0.5
            return shade(map.nearest(fx, fy))
        }
    }
}
