/// A line plot as terminal text: braille dots for the lines inside a `TerminalFrame` (y axis
/// with labelled ticks on the left, x axis below). The text is exactly `height` lines of
/// exactly `width` characters (each one terminal column), joined by newlines:
///
///       1 ┤⡀
///         │⠈⠢⡀
///     0.5 ┤  ⠈⠒⠤⣀
///         │      ⠉⠉⠒⠒⠤⠤⣀⣀⣀
///       0 ┤               ⠉⠉⠉⠉
///         └┬──────────┬─────────
///          1          50
public struct TerminalLinePlot {
    public let series: [Series]
    public let width: Int
    public let height: Int
    public let logY: Bool

    /// The smallest plot drawn: narrower or lower sizes are raised to these.
    public static let minimumWidth = 20, minimumHeight = 5

    public init(_ series: [Series], width: Int, height: Int, logY: Bool = false) {
        self.series = series
        self.width = Swift.max(width, TerminalLinePlot.minimumWidth)
        self.height = Swift.max(height, TerminalLinePlot.minimumHeight)
        self.logY = logY
    }

    public func render() -> String {
        let yAxis = Axis(covering: series.flatMap(\.y), log: logY, tickTarget: Swift.max(1, (height - 2) / 3))
        // about one x tick per 12 columns, so that their labels do not crowd
        let xAxis = Axis(covering: series.flatMap(\.x), tickTarget: Swift.max(1, (width - 8) / 12))
        let frame = TerminalFrame(x: xAxis, y: yAxis, width: width, height: height, subColumns: 2, subRows: 4)
        var canvas = BrailleCanvas(columns: frame.plotColumns, rows: frame.plotRows)
        for s in series {
            var previous: (Int, Int)? = nil
            for (x, y) in zip(s.x, s.y) {
                guard let px = TerminalFrame.position(xAxis.fraction(x), canvas.width),
                      let py = TerminalFrame.position(yAxis.fraction(y), canvas.height) else {
                    previous = nil  // a gap in the line
                    continue
                }
                let dy = canvas.height - 1 - py
                if let (qx, qy) = previous { canvas.line(qx, qy, px, dy) } else { canvas.set(px, dy) }
                previous = (px, dy)
            }
        }
        return frame.render { canvas.character(column: $0, row: $1) }
    }
}
