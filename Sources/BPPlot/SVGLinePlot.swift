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
            // sized to the longest name (about 7 px a character at 12 px), on a light box so
            // it reads over the lines it may cover
            let longest = Double(named.map { $0.element.name?.count ?? 0 }.max() ?? 0)
            let width = 30 + 7 * longest + 10
            let height = Double(named.count) * 18 + 8
            let (x, top) = legendCorner(frame, width: width, height: height)
            svg.element("rect", [("x", n(x - 8)), ("y", n(top)), ("width", n(width)), ("height", n(height)),
                                 ("fill", "#ffffff"), ("fill-opacity", "0.85"), ("stroke", "#dddddd")])
            for (row, (k, s)) in named.enumerated() {
                let y = top + 14 + Double(row) * 18
                let color = SVGLinePlot.palette[k % SVGLinePlot.palette.count]
                svg.element("line", [("x1", n(x)), ("y1", n(y - 4)), ("x2", n(x + 24)), ("y2", n(y - 4)), ("stroke", color), ("stroke-width", "2")])
                svg.text(s.name ?? "", [("x", n(x + 30)), ("y", n(y)), ("font-size", "12"), ("fill", "#333333")])
            }
        }
        return svg.render(title: title)
    }

    /// Where the legend box goes (its left text edge and top): the corner of the plot that
    /// covers the fewest points of the lines, top right when it ties.
    func legendCorner(_ frame: SVGFrame, width: Double, height: Double) -> (x: Double, top: Double) {
        let xs = [frame.left + frame.plotWidth - width, frame.left + 16]
        let tops = [frame.top + 4, frame.top + frame.plotHeight - height - 4]
        var best = (x: xs[0], top: tops[0]), fewest = Int.max
        for top in tops {
            for x in xs {
                var covered = 0
                func inside(_ cx: Double, _ cy: Double) -> Bool {
                    cx >= x - 12 && cx <= x + width && cy >= top - 4 && cy <= top + height + 4
                }
                for s in series {
                    // the points, and 8 along each segment between them (the lines, not only their points)
                    let points = zip(s.x, s.y).map { (frame.px($0), frame.py($1)) }
                    for (k, (cx, cy)) in points.enumerated() where cx.isFinite && cy.isFinite {
                        if inside(cx, cy) { covered += 1 }
                        guard k + 1 < points.count, points[k + 1].0.isFinite, points[k + 1].1.isFinite else { continue }
                        for step in 1..<8 {
                            let t = Double(step) / 8
                            if inside(cx + t * (points[k + 1].0 - cx), cy + t * (points[k + 1].1 - cy)) { covered += 1 }
                        }
                    }
                }
                if covered < fewest { (best, fewest) = ((x, top), covered) }
            }
        }
        return best
    }
}
