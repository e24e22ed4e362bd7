/// A grid of terminal cells each holding 2×4 dots (Unicode braille, U+2800...U+28FF), the
/// finest drawing a text terminal shows: a cell of `columns` × `rows` characters has
/// `2 * columns` × `4 * rows` dots. Dot (0, 0) is the top left.
public struct BrailleCanvas {
    public let columns: Int
    public let rows: Int
    private var bits: [UInt8]

    public init(columns: Int, rows: Int) {
        self.columns = Swift.max(0, columns)
        self.rows = Swift.max(0, rows)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
    }

    public var width: Int { columns * 2 }
    public var height: Int { rows * 4 }

    /// The braille bit of each dot of a cell, by column (0, 1) and row (0...3).
    private static let dotBit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets one dot; dots outside the canvas are ignored.
    public mutating func set(_ x: Int, _ y: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        bits[(y / 4) * columns + x / 2] |= BrailleCanvas.dotBit[x % 2][y % 4]
    }

    /// A straight line of dots between two dots, both ends included (Bresenham), clipped.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        var x = x0, y = y0
        let dx = Swift.abs(x1 - x0), dy = -Swift.abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        // a line far outside would take long: both ends are clamped near the canvas first
        guard Swift.max(dx, -dy) <= 4 * (width + height) + 16 else { return }
        while true {
            set(x, y)
            if x == x1 && y == y1 { return }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// True when the cell holds at least one dot.
    public func isInked(column: Int, row: Int) -> Bool { bits[row * columns + column] != 0 }

    /// The character of one cell (a blank braille cell is a space).
    public func character(column: Int, row: Int) -> Character {
        let b = bits[row * columns + column]
        return b == 0 ? " " : Character(Unicode.Scalar(0x2800 + UInt32(b))!)
    }
}
