/// The axes of an SVG plot: a plot rectangle with light grid lines at the ticks, tick marks
/// and labels on the left and bottom edges, the axis labels, and the title above — the part
/// the line plot and the decision map share.
public struct SVGFrame {
    public let x: Axis
    public let y: Axis
    /// The plot rectangle, in pixels from the top left of the picture.
    public let left: Double, top: Double, plotWidth: Double, plotHeight: Double

    public init(x: Axis, y: Axis, left: Double, top: Double, plotWidth: Double, plotHeight: Double) {
        self.x = x
        self.y = y
        self.left = left
        self.top = top
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
    }

    /// The pixel of a data value along each axis.
    public func px(_ v: Double) -> Double { left + x.fraction(v) * plotWidth }
    public func py(_ v: Double) -> Double { top + (1 - y.fraction(v)) * plotHeight }

    static let ink = "#333333", grid = "#e5e5e5"

    /// Grid lines behind the picture (when `grid` is true).
    public func drawGrid(_ svg: inout SVGDocument) {
        let n = SVGDocument.number
        svg.group([("stroke", SVGFrame.grid), ("stroke-width", "1")])
        for t in x.ticks {
            svg.element("line", [("x1", n(px(t))), ("y1", n(top)), ("x2", n(px(t))), ("y2", n(top + plotHeight))])
        }
        for t in y.ticks {
            svg.element("line", [("x1", n(left)), ("y1", n(py(t))), ("x2", n(left + plotWidth)), ("y2", n(py(t)))])
        }
        svg.close()
    }

    /// The border, ticks, tick labels, axis labels and title, over the picture.
    public func drawAxes(_ svg: inout SVGDocument, xLabel: String, yLabel: String, title: String) {
        let n = SVGDocument.number
        svg.element("rect", [("x", n(left)), ("y", n(top)), ("width", n(plotWidth)), ("height", n(plotHeight)),
                             ("fill", "none"), ("stroke", SVGFrame.ink), ("stroke-width", "1")])
        svg.group([("stroke", SVGFrame.ink), ("stroke-width", "1")])
        for t in x.ticks {
            svg.element("line", [("x1", n(px(t))), ("y1", n(top + plotHeight)), ("x2", n(px(t))), ("y2", n(top + plotHeight + 5))])
        }
        for t in y.ticks {
            svg.element("line", [("x1", n(left - 5)), ("y1", n(py(t))), ("x2", n(left)), ("y2", n(py(t)))])
        }
        svg.close()
        svg.group([("font-size", "12"), ("fill", SVGFrame.ink)])
        for (t, label) in zip(x.ticks, x.labels) {
            svg.text(label, [("x", n(px(t))), ("y", n(top + plotHeight + 19)), ("text-anchor", "middle")])
        }
        for (t, label) in zip(y.ticks, y.labels) {
            svg.text(label, [("x", n(left - 8)), ("y", n(py(t) + 4)), ("text-anchor", "end")])
        }
        svg.close()
        let yLabelWidth = Double(y.labels.map(\.count).max() ?? 1) * 7.5
        svg.text(xLabel, [("x", n(left + plotWidth / 2)), ("y", n(top + plotHeight + 40)), ("text-anchor", "middle"),
                          ("font-size", "14"), ("fill", SVGFrame.ink)])
        let yx = left - yLabelWidth - 22, yy = top + plotHeight / 2
        svg.text(yLabel, [("x", n(yx)), ("y", n(yy)), ("text-anchor", "middle"), ("font-size", "14"), ("fill", SVGFrame.ink),
                          ("transform", "rotate(-90 \(n(yx)) \(n(yy)))")])
        svg.text(title, [("x", n(left + plotWidth / 2)), ("y", "26"), ("text-anchor", "middle"),
                         ("font-size", "16"), ("font-weight", "bold"), ("fill", "#222222")])
    }

    /// The left margin a y axis with these labels needs (labels, a gap, the rotated axis label).
    public static func leftMargin(for y: Axis) -> Double {
        Double(y.labels.map(\.count).max() ?? 1) * 7.5 + 40
    }
}
