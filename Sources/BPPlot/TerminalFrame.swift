/// The axes around a terminal picture: y tick labels and a vertical axis on the left, a
/// horizontal axis with tick marks and labels below. The picture inside is `plotColumns` ×
/// `plotRows` cells, each split into `subColumns` × `subRows` positions (2 × 4 for braille
/// dots, 1 × 1 for a map of cells); a value at fraction f of an axis falls on position
/// `round(f * (positions - 1))`, counted from the left and from the bottom.
public struct TerminalFrame {
    public let x: Axis
    public let y: Axis
    public let width: Int
    public let height: Int
    public let subColumns: Int
    public let subRows: Int
    let labelWidth: Int

    public init(x: Axis, y: Axis, width: Int, height: Int, subColumns: Int = 1, subRows: Int = 1) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.subColumns = subColumns
        self.subRows = subRows
        labelWidth = y.labels.map(\.count).max() ?? 1
    }

    /// Columns left of the picture: the labels, a space, the axis.
    public var margin: Int { labelWidth + 2 }
    public var plotColumns: Int { Swift.max(1, width - margin) }
    public var plotRows: Int { Swift.max(1, height - 2) }

    /// The position along an axis of `positions` positions, nil for a value it cannot show.
    public static func position(_ f: Double, _ positions: Int) -> Int? {
        guard f.isFinite else { return nil }
        return Int((f * Double(positions - 1)).rounded())
    }

    /// The whole text: `height` lines of `width` characters; `cell(column, row)` draws the
    /// picture (row 0 at the top).
    public func render(_ cell: (Int, Int) -> Character) -> String {
        var rowLabel = [Int: String]()
        let rowPositions = plotRows * subRows
        for (v, text) in zip(y.ticks, y.labels) {
            guard let p = TerminalFrame.position(y.fraction(v), rowPositions) else { continue }
            let row = (rowPositions - 1 - p) / subRows
            if rowLabel[row] == nil { rowLabel[row] = text }
        }
        var lines: [String] = []
        for row in 0..<plotRows {
            let label = rowLabel[row] ?? ""
            var line = String(repeating: " ", count: labelWidth - label.count) + label + " "
            line += rowLabel[row] == nil ? "│" : "┤"
            for c in 0..<plotColumns { line.append(cell(c, row)) }
            lines.append(line)
        }
        var axisLine = Array(repeating: Character("─"), count: plotColumns)
        var labelLine = Array(repeating: Character(" "), count: width)
        var freeFrom = 0
        for (v, text) in zip(x.ticks, x.labels) {
            guard let p = TerminalFrame.position(x.fraction(v), plotColumns * subColumns) else { continue }
            let column = p / subColumns
            axisLine[column] = "┬"
            // the label centred under its tick, inside the line, one space from the last
            let start = Swift.min(Swift.max(margin + column - (text.count - 1) / 2, 0), width - text.count)
            guard start >= freeFrom else { continue }
            for (k, ch) in text.enumerated() { labelLine[start + k] = ch }
            freeFrom = start + text.count + 1
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + "└" + String(axisLine))
        lines.append(String(labelLine))
        return lines.joined(separator: "\n")
    }
}
