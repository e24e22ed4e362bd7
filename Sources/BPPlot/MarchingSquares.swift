/// The contour of a grid of values at one level, as line segments (marching squares): for
/// each square of four neighbouring grid points whose values lie on both sides of the level,
/// the segment joining the points where the level crosses its edges (placed by linear
/// interpolation). Coordinates are in grid units: (c, r) is grid point column c, row r.
public enum MarchingSquares {
    public static func segments(_ values: [Double], columns: Int, rows: Int, level: Double) -> [(Double, Double, Double, Double)] {
        var out: [(Double, Double, Double, Double)] = []
        guard columns >= 2, rows >= 2, values.count == columns * rows else { return out }
        for r in 0..<(rows - 1) {
            for c in 0..<(columns - 1) {
                // corners counterclockwise from the bottom left
                let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
                let v = corners.map { values[$0.1 * columns + $0.0] }
                guard v.allSatisfy(\.isFinite) else { continue }
                var crossings: [(Double, Double)] = []
                for k in 0..<4 {
                    let a = v[k], b = v[(k + 1) % 4]
                    guard (a < level) != (b < level) else { continue }
                    let t = (level - a) / (b - a)
                    let (ax, ay) = corners[k], (bx, by) = corners[(k + 1) % 4]
                    crossings.append((Double(ax) + t * Double(bx - ax), Double(ay) + t * Double(by - ay)))
                }
                // 2 crossings: one segment; 4 (a saddle): two, pairing neighbouring edges
                if crossings.count == 2 {
                    out.append((crossings[0].0, crossings[0].1, crossings[1].0, crossings[1].1))
                } else if crossings.count == 4 {
                    out.append((crossings[0].0, crossings[0].1, crossings[1].0, crossings[1].1))
                    out.append((crossings[2].0, crossings[2].1, crossings[3].0, crossings[3].1))
                }
            }
        }
        return out
    }
}
