import BPNet
import BPTensor
import Foundation

/// The data-set builtins: `spiral`, `moons`, `circles` (drawn from the session's generator, so
/// `seed` makes them reproducible) and `csv`. Each returns `[X, y]` — X (n, features), y a
/// column (n, 1) — as constants: binding them never makes leaves (SPEC §7, §8).
enum DataBuiltins {
    /// A tensor that stays a constant when bound (as `detach` marks one).
    static func constant(_ shape: [Int], _ data: [Double]) -> Value {
        let t = Tensor(shape: shape, data: data)
        t.isMarkedConstant = true
        return .tensor(t)
    }

    /// `[X, y]` of a two-class problem in the plane.
    static func pair(_ p: DataSets.Points) -> Value {
        let n = p.x.count
        var x = [Double](repeating: 0, count: 2 * n)
        for i in 0..<n { x[2 * i] = p.x[i]; x[2 * i + 1] = p.y[i] }
        return .list(ListRef([constant([n, 2], x), constant([n, 1], p.label)]))
    }

    /// A generator's size and noise, checked: `n` a count of rows, `noise` at least 0.
    static func sizeAndNoise(_ a: BoundArgs) throws -> (Int, Double) {
        let n = try a.count("n"), noise = try a.number("noise")
        guard noise >= 0, noise.isFinite else { throw BPError.runtime("\(a.function)()'s noise must be a finite number at least 0, found \(noise)", at: a.loc) }
        try a.checkSize([n, 2])
        return (n, noise)
    }

    static func generator(_ name: String, n: Int, noise: Double, help: String, example: String,
                          _ make: @escaping (Int, Double, inout MersenneTwister) -> DataSets.Points) -> Function {
        Function.builtin(name, [.count("n", n), .number("noise", noise)], help: help, example: example) { _, a in
            let (n, noise) = try sizeAndNoise(a)
            return pair(make(n, noise, &Engine.current.random))
        }
    }

    static let functions: [Function] = [
        Function.builtin("spiral", [.count("n", 300), .number("noise", 0.2)],
            help: "The lessons' two-class spiral: n points (n even), n/2 per class, class 0 rows first; theta = linspace(0, 4 pi, n/2), radius theta / 2pi, class 1 turned by pi; noise randn * noise from the shared generator (x noise, then y noise, per class). Returns X (n, 2) and y (n, 1) as constants: X, y = spiral().",
            example: "seed(0); X, y = spiral(300, 0.2); shape(X)   # [300, 2]") { _, a in
            let (n, noise) = try sizeAndNoise(a)
            guard n % 2 == 0 else { throw BPError.runtime("spiral() needs an even n (n/2 points per class), found \(n)", at: a.loc) }
            return pair(DataSets.spiral(n: n, noise: noise, random: &Engine.current.random))
        },
        generator("moons", n: 200, noise: 0.1,
            help: "Two interleaving half circles, scikit-learn's make_moons(n, shuffle=False, noise): n // 2 points of class 0 first, then class 1; noise randn * noise from the shared generator, x then y of each point. Returns X (n, 2) and y (n, 1) as constants.",
            example: "seed(0); X, y = moons(); shape(y)   # [200, 1]") { n, noise, random in DataSets.moons(n: n, noise: noise, random: &random) },
        generator("circles", n: 200, noise: 0.05,
            help: "A circle inside a circle, scikit-learn's make_circles(n, shuffle=False, noise, factor=0.5): n // 2 points on the outer circle (class 0) first, then the inner one (class 1); noise as for moons. Returns X (n, 2) and y (n, 1) as constants.",
            example: "seed(0); X, y = circles(); shape(X)   # [200, 2]") { n, noise, random in DataSets.circles(n: n, noise: noise, random: &random) },
        Function.builtin("csv", [.string("file"), .integer("target", -1)],
            help: "Reads a table of numbers from a comma-separated file: the column target (negative counts from the end; default the last) as y (n, 1), the others as X (n, columns - 1), both constants. A first row that is not all numbers is a header; blank lines are skipped; a bad row is an error naming its line. A relative path is read from the working directory.",
            example: "X, y = csv(\"xor_header.csv\"); shape(X)   # [4, 2]") { i, a in
            let file = try a.string("file")
            let table: CSVTable
            do {
                table = try CSVTable(parsing: try i.readText(file, for: "csv()"))
            } catch let p as CSVTable.Problem {
                throw BPError.runtime("csv(): '\(file)': \(p.message)", at: a.loc)
            }
            let width = table.width
            guard width >= 2 else {
                throw BPError.runtime("csv(): '\(file)' has one column; it needs at least two (the features X and the target y)", at: a.loc)
            }
            let k = try a.integer("target")
            guard let t = NegativeIndex.resolve(k, count: width) else {
                throw BPError.runtime("csv(): target \(k) is out of range for a file of \(width) columns", at: a.loc)
            }
            let n = table.rows.count
            try a.checkSize([n, width])
            var x: [Double] = [], y: [Double] = []
            x.reserveCapacity(n * (width - 1))
            for row in table.rows {
                for (c, v) in row.enumerated() { if c == t { y.append(v) } else { x.append(v) } }
            }
            return .list(ListRef([constant([n, width - 1], x), constant([n, 1], y)]))
        },
    ]
}
