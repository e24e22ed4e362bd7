/// What a decision-boundary picture shows: a model's answer on a regular grid over a
/// rectangle of the plane, and the data points with their classes.
///
/// `values` holds `columns * rows` numbers, row by row from the bottom (lowest y) up, each row
/// from left to right; grid point (c, r) sits at x = xLo + c (xHi - xLo) / (columns - 1) and
/// y likewise. With two classes a value is the probability of class 1 (0...1); with more, it
/// is the predicted class number.
public struct DecisionMap: Sendable {
    public let xLo: Double, xHi: Double, yLo: Double, yHi: Double
    public let columns: Int
    public let rows: Int
    public let values: [Double]
    public let classCount: Int
    public let points: [LabeledPoint]

    public init(xLo: Double, xHi: Double, yLo: Double, yHi: Double, columns: Int, rows: Int, values: [Double],
                classCount: Int = 2, points: [LabeledPoint]) {
        precondition(columns >= 2 && rows >= 2 && values.count == columns * rows, "a decision map needs a full grid of at least 2 × 2")
        self.xLo = xLo
        self.xHi = xHi
        self.yLo = yLo
        self.yHi = yHi
        self.columns = columns
        self.rows = rows
        self.values = values
        self.classCount = Swift.max(2, classCount)
        self.points = points
    }

    /// The grid's coordinates along x (`columns` of them) and y (`rows`), for the caller that
    /// evaluates the model.
    public static func grid(_ lo: Double, _ hi: Double, _ n: Int) -> [Double] {
        (0..<n).map { n > 1 ? lo + Double($0) * (hi - lo) / Double(n - 1) : lo }
    }

    /// The value at the grid point nearest to fractions (fx, fy) of the rectangle.
    public func nearest(_ fx: Double, _ fy: Double) -> Double {
        let c = Swift.min(Swift.max(Int((fx * Double(columns - 1)).rounded()), 0), columns - 1)
        let r = Swift.min(Swift.max(Int((fy * Double(rows - 1)).rounded()), 0), rows - 1)
        return values[r * columns + c]
    }

    /// The rectangle a data set's points need: their range widened by `margin` of its span
    /// on each side (a one-value range by 1), as a decision map is usually drawn.
    public static func bounds(of values: [Double], margin: Double = 0.1) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return (-1, 1) }
        if hi - lo < 1e-12 { lo -= 1; hi += 1 }
        let pad = (hi - lo) * margin
        return (lo - pad, hi + pad)
    }
}
