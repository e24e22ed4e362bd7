import BPTensor
import Foundation

/// The two-class data sets in the plane, as pure functions of a size, a noise level and a
/// random generator: the points' coordinates and classes, class 0 first (SPEC §8).
extension DataSets {
    /// The points and classes of a two-class problem in the plane.
    public struct Points: Sendable {
        public var x: [Double] = []
        public var y: [Double] = []
        public var label: [Double] = []
    }

    /// NumPy's `linspace(lo, hi, n, endpoint)`: `lo + i * step`, and `hi` exactly at the end.
    public static func linspace(_ lo: Double, _ hi: Double, _ n: Int, endpoint: Bool = true) -> [Double] {
        let div = endpoint ? n - 1 : n
        let step = div > 0 ? (hi - lo) / Double(div) : 0
        var out = (0..<n).map { lo + Double($0) * step }
        if endpoint && n > 1 { out[n - 1] = hi }
        return out
    }

    /// The lessons' spiral (n even): n/2 points per class, theta = linspace(0, 4 pi, n/2),
    /// radius theta / (2 pi), class 1 with theta + pi (radius included); per class the x
    /// noise (n/2 draws of randn * noise), then the y noise.
    public static func spiral(n: Int, noise: Double, random: inout MersenneTwister) -> Points {
        var p = Points()
        let theta = linspace(0, 4 * Double.pi, n / 2)
        for k in 0..<2 {
            let t = theta.map { $0 + Double(k) * Double.pi }
            let r = t.map { $0 / (2 * Double.pi) }
            let nx = (0..<n / 2).map { _ in random.nextGaussian() * noise }
            let ny = (0..<n / 2).map { _ in random.nextGaussian() * noise }
            for i in 0..<n / 2 {
                p.x.append(r[i] * Foundation.cos(t[i]) + nx[i])
                p.y.append(r[i] * Foundation.sin(t[i]) + ny[i])
                p.label.append(Double(k))
            }
        }
        return p
    }

    /// scikit-learn's `make_moons(n, shuffle=False, noise)`: n // 2 points on the upper half
    /// circle (class 0), the rest on the lower one shifted to (1, -0.5) (class 1), then
    /// randn * noise added to x and y of each point in turn.
    public static func moons(n: Int, noise: Double, random: inout MersenneTwister) -> Points {
        let outer = n / 2, inner = n - outer
        var p = Points()
        for t in linspace(0, Double.pi, outer) {
            p.x.append(Foundation.cos(t)); p.y.append(Foundation.sin(t)); p.label.append(0)
        }
        for t in linspace(0, Double.pi, inner) {
            p.x.append(1 - Foundation.cos(t)); p.y.append(1 - Foundation.sin(t) - 0.5); p.label.append(1)
        }
        addNoise(&p, noise, &random)
        return p
    }

    /// scikit-learn's `make_circles(n, shuffle=False, noise, factor=0.5)`: n // 2 points on
    /// the unit circle (class 0), the rest on the circle of radius 0.5 (class 1), angles
    /// `linspace(0, 2 pi, count, endpoint=False)`, then the noise as for `moons`.
    public static func circles(n: Int, noise: Double, factor: Double = 0.5, random: inout MersenneTwister) -> Points {
        let outer = n / 2, inner = n - outer
        var p = Points()
        for t in linspace(0, 2 * Double.pi, outer, endpoint: false) {
            p.x.append(Foundation.cos(t)); p.y.append(Foundation.sin(t)); p.label.append(0)
        }
        for t in linspace(0, 2 * Double.pi, inner, endpoint: false) {
            p.x.append(Foundation.cos(t) * factor); p.y.append(Foundation.sin(t) * factor); p.label.append(1)
        }
        addNoise(&p, noise, &random)
        return p
    }

    /// scikit-learn's `X += generator.normal(scale=noise, size=X.shape)`: row by row, x then y.
    static func addNoise(_ p: inout Points, _ noise: Double, _ random: inout MersenneTwister) {
        for i in p.x.indices {
            p.x[i] += random.nextGaussian() * noise
            p.y[i] += random.nextGaussian() * noise
        }
    }
}
