import Foundation

/// A decision map as a standalone SVG picture: the plane tinted by the model's answer (blue
/// where it says class 0, orange where it says class 1, stronger the surer it is; with more
/// classes a tint per class), the 0.5 contour of a two-class answer as a dark line, the data
/// points on top (class 0 circles, class 1 squares, more classes circles in their colours),
/// axes with ticks, a legend and a title.
public struct SVGDecisionMap {
    public let map: DecisionMap
    public let title: String
    public let width: Int
    public let height: Int

    public init(_ map: DecisionMap, title: String, width: Int = 600, height: Int = 560) {
        self.map = map
        self.title = title
        self.width = width
        self.height = height
    }

    /// The colour of class k (the line plot's palette, then repeating).
    static func color(_ k: Int) -> String { SVGLinePlot.palette[((k % 6) + 6) % 6] }

    /// `#rrggbb` of a colour mixed with white: `amount` 0 is white, 1 the colour.
    static func tint(_ hex: String, _ amount: Double) -> String {
        let v = Int(hex.dropFirst(), radix: 16) ?? 0
        let parts = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { c in
            Int((255 - (255 - Double(c)) * amount).rounded())
        }
        return "#" + parts.map { String(format: "%02x", $0) }.joined()
    }

    /// The background colour of one answer: 11 shades for two classes (fewer shades, fewer
    /// rects in the file), one per class else.
    func fill(_ v: Double) -> String {
        guard v.isFinite else { return "#ffffff" }
        if map.classCount > 2 { return SVGDecisionMap.tint(SVGDecisionMap.color(Int(v)), 0.3) }
        let p = Swift.min(Swift.max(v, 0), 1)
        let level = (p * 10).rounded() / 10
        let sure = Swift.abs(level - 0.5) * 2
        return SVGDecisionMap.tint(SVGDecisionMap.color(level < 0.5 ? 0 : 1), 0.08 + 0.27 * sure)
    }

    public func render() -> String {
        let xAxis = Axis(lo: map.xLo, hi: map.xHi, tickTarget: 6)
        let yAxis = Axis(lo: map.yLo, hi: map.yHi, tickTarget: 6)
        let left = SVGFrame.leftMargin(for: yAxis), top = 66.0
        let frame = SVGFrame(x: xAxis, y: yAxis, left: left, top: top,
                             plotWidth: Double(width) - left - 24, plotHeight: Double(height) - top - 56)
        var svg = SVGDocument(width: width, height: height)
        let n = SVGDocument.number
        let cols = map.columns, rows = map.rows
        // cell (c, r) is centred on its grid point; runs of one colour in a row are one rect
        func edge(_ k: Int, _ count: Int) -> Double { Swift.min(Swift.max((Double(k) - 0.5) / Double(count - 1), 0), 1) }
        svg.group([("shape-rendering", "crispEdges")])
        for r in 0..<rows {
            let y0 = frame.top + (1 - edge(r + 1, rows)) * frame.plotHeight
            let y1 = frame.top + (1 - edge(r, rows)) * frame.plotHeight
            var c = 0
            while c < cols {
                let color = fill(map.values[r * cols + c])
                var end = c + 1
                while end < cols && fill(map.values[r * cols + end]) == color { end += 1 }
                let x0 = frame.left + edge(c, cols) * frame.plotWidth, x1 = frame.left + edge(end, cols) * frame.plotWidth
                // a hair wider and taller than the cell, so no seam shows between rects
                svg.element("rect", [("x", n(x0)), ("y", n(y0)), ("width", n(x1 - x0 + 0.5)), ("height", n(y1 - y0 + 0.5)), ("fill", color)])
                c = end
            }
        }
        svg.close()
        if map.classCount == 2 {
            let segments = MarchingSquares.segments(map.values, columns: cols, rows: rows, level: 0.5)
            if !segments.isEmpty {
                let d = segments.map { s in
                    let (ax, ay, bx, by) = s
                    let p = { (gx: Double, gy: Double) in
                        "\(n(frame.left + gx / Double(cols - 1) * frame.plotWidth)) \(n(frame.top + (1 - gy / Double(rows - 1)) * frame.plotHeight))"
                    }
                    return "M\(p(ax, ay))L\(p(bx, by))"
                }.joined()
                svg.element("path", [("d", d), ("fill", "none"), ("stroke", "#333333"), ("stroke-width", "1.5"),
                                     ("stroke-linecap", "round"), ("opacity", "0.8")])
            }
        }
        frame.drawGrid(&svg)
        let labels = Set(map.points.map(\.label)).sorted()
        for p in map.points {
            let fx = xAxis.fraction(p.x), fy = yAxis.fraction(p.y)
            guard fx.isFinite, fy.isFinite, fx >= 0, fx <= 1, fy >= 0, fy <= 1 else { continue }
            marker(&svg, p.label, frame.px(p.x), frame.py(p.y))
        }
        frame.drawAxes(&svg, xLabel: "x₁ (first column of X)", yLabel: "x₂ (second column of X)", title: title)
        // the legend: one marker and name per class, right-aligned between the title and the plot
        var x = frame.left + frame.plotWidth - Double(labels.count) * 70
        for k in labels {
            marker(&svg, k, x + 6, top - 14)
            svg.text("class \(k)", [("x", n(x + 14)), ("y", n(top - 10)), ("font-size", "12"), ("fill", "#333333")])
            x += 70
        }
        return svg.render(title: title)
    }

    /// The mark of a point of class k centred on (x, y).
    func marker(_ svg: inout SVGDocument, _ k: Int, _ x: Double, _ y: Double) {
        let n = SVGDocument.number
        let style = [("fill", SVGDecisionMap.color(k)), ("stroke", "#ffffff"), ("stroke-width", "1")]
        if map.classCount == 2 && k == 1 {
            svg.element("rect", [("x", n(x - 3.6)), ("y", n(y - 3.6)), ("width", "7.2"), ("height", "7.2")] + style)
        } else {
            svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", "4")] + style)
        }
    }
}
