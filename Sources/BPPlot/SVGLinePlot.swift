/// A line plot as a standalone SVG picture: the lines over light grid lines, axes with ticks
/// and labels, axis titles and a title; a log y axis on request; a legend when there are
/// several named lines.
public struct SVGLinePlot {
    public let series: [Series]
    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let logY: Bool
    public let width: Int
    public let height: Int

    /// Line colours, in order (matplotlib's first "tab10" colours, readable in print).
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

    public init(_ series: [Series], title: String, xLabel: String, yLabel: String, logY: Bool = false,
                width: Int = 640, height: Int = 400) {
        self.series = series
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.width = width
        self.height = height
    }

    public func render() -> String {
        let yAxis = Axis(covering: series.flatMap(\.y), log: logY, padding: 0.04, tickTarget: 6)
        let xAxis = Axis(covering: series.flatMap(\.x), tickTarget: 8)
        let left = SVGFrame.leftMargin(for: yAxis), top = 44.0
        let frame = SVGFrame(x: xAxis, y: yAxis, left: left, top: top,
                             plotWidth: Double(width) - left - 24, plotHeight: Double(height) - top - 56)
        var svg = SVGDocument(width: width, height: height)
        frame.drawGrid(&svg)
        let n = SVGDocument.number
        for (k, s) in series.enumerated() {
            // a point that cannot be shown (nan, inf, not positive on a log axis) breaks the line
            var runs: [[String]] = [[]]
            for (x, y) in zip(s.x, s.y) {
                let fx = xAxis.fraction(x), fy = yAxis.fraction(y)
                if fx.isFinite && fy.isFinite {
                    runs[runs.count - 1].append("\(n(frame.px(x))),\(n(frame.py(y)))")
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            let color = SVGLinePlot.palette[k % SVGLinePlot.palette.count]
            for run in runs where !run.isEmpty {
                if run.count == 1 {
                    let xy = run[0].split(separator: ",").map(String.init)
                    svg.element("circle", [("cx", xy[0]), ("cy", xy[1]), ("r", "3"), ("fill", color)])
                } else {
                    svg.element("polyline", [("points", run.joined(separator: " ")), ("fill", "none"), ("stroke", color),
                                             ("stroke-width", "2"), ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
                }
            }
        }
        frame.drawAxes(&svg, xLabel: xLabel, yLabel: yLabel, title: title)
        let named = series.enumerated().filter { $0.element.name != nil }
        if series.count > 1 && !named.isEmpty {
            let x = frame.left + frame.plotWidth - 150
            for (row, (k, s)) in named.enumerated() {
                let y = frame.top + 18 + Double(row) * 18
                let color = SVGLinePlot.palette[k % SVGLinePlot.palette.count]
                svg.element("line", [("x1", n(x)), ("y1", n(y - 4)), ("x2", n(x + 24)), ("y2", n(y - 4)), ("stroke", color), ("stroke-width", "2")])
                svg.text(s.name ?? "", [("x", n(x + 30)), ("y", n(y)), ("font-size", "12"), ("fill", "#333333")])
            }
        }
        return svg.render(title: title)
    }
}
