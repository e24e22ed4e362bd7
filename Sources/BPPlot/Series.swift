/// One line of a line plot: its points in drawing order. A point with a coordinate that is
/// not finite (or not positive on a log axis) breaks the line there.
public struct Series: Sendable {
    public let x: [Double]
    public let y: [Double]
    public let name: String?

    public init(x: [Double], y: [Double], name: String? = nil) {
        precondition(x.count == y.count, "a series needs as many x as y values")
        self.x = x
        self.y = y
        self.name = name
    }

    /// y against 1, 2, 3, ... (a training history against the epoch).
    public init(y: [Double], name: String? = nil) {
        self.init(x: y.indices.map { Double($0 + 1) }, y: y, name: name)
    }
}
