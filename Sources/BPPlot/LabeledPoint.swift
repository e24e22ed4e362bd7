/// A data point of a classification problem: its two coordinates and its class (0, 1, ...).
public struct LabeledPoint: Equatable, Sendable {
    public let x: Double
    public let y: Double
    public let label: Int

    public init(x: Double, y: Double, label: Int) {
        self.x = x
        self.y = y
        self.label = label
    }
}
