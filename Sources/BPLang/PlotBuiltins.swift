import BPPlot
import BPTensor
import Foundation

/// The picture builtins: `plot` (a line plot of a history or of y against x) and `boundary`
/// (a model's decision map with the data on it), drawn in the terminal as text or written as
/// an SVG file. The pictures themselves are BPPlot's; this file reads the arguments, computes
/// the numbers and decides the size.
enum PlotBuiltins {
    /// The size of a terminal picture: the terminal's width (one column spare, so no line
    /// wraps) and a height that leaves the prompt in view; 72 × 18 when output is not a
    /// terminal (SPEC §8).
    static func terminalPictureSize(_ i: Interpreter) -> (width: Int, height: Int) {
        guard let t = i.terminalSize, t.columns > 0, t.rows > 0 else { return (72, 18) }
        return (Swift.max(TerminalLinePlot.minimumWidth, t.columns - 1),
                Swift.max(TerminalLinePlot.minimumHeight, Swift.min(24, t.rows - 6)))
    }

    /// The name argument k was given by ("history", "X", "net.layers"), as messages and
    /// titles call it; `fallback` for an expression or a literal.
    static func argumentText(_ a: BoundArgs, _ k: Int, _ fallback: String) -> String {
        guard k < a.argumentLabels.count, let text = a.argumentLabels[k]?.text, !text.isEmpty, text.count <= 40,
              text.unicodeScalars.allSatisfy({ Lexer.isNameChar($0) || $0 == "." }) else { return fallback }
        return text
    }

    /// The columns of a 1-d or 2-d value as lists of numbers (a (n, 1) column is one list).
    static func columns(_ t: Tensor, _ a: BoundArgs, _ name: String) throws -> [[Double]] {
        switch t.rank {
        case 0: return [[t.scalar]]
        case 1: return [t.data]
        case 2:
            let (n, k) = (t.shape[0], t.shape[1])
            if n == 1 { return [t.data] }
            return (0..<k).map { c in (0..<n).map { t.data[$0 * k + c] } }
        default:
            throw BPError.runtime("\(a.function)() plots a list or a 1-d or 2-d tensor, but '\(name)' has shape \(describeShape(t.shape))", at: a.loc)
        }
    }

    /// A picture shown where the output goes: as SVG (and its text) to a front end that
    /// displays pictures, else the text printed.
    static func show(_ i: Interpreter, text: String, svg: () throws -> String) throws {
        if let display = i.displayOutput {
            display(Display(["image/svg+xml": try svg(), "text/plain": text]))
        } else {
            i.write(text + "\n")
        }
    }

    /// The file an SVG goes to, checked: a name ending in `.svg`.
    static func svgFile(_ a: BoundArgs) throws -> String? {
        if a.isNone("file") { return nil }
        let file = try a.string("file")
        guard file.lowercased().hasSuffix(".svg") else {
            throw BPError.runtime("\(a.function)() writes SVG pictures: name the file with .svg (found '\(file)')", at: a.loc)
        }
        return file
    }

    static let functions: [Function] = [
        Function.builtin("plot", [.tensor("x"), BuiltinParam.tensor("y").orNone, .bool("log", false),
                                  BuiltinParam.string("file").orNone, BuiltinParam.string("title").orNone,
                                  BuiltinParam("names", .any, default: Value.none)],
            help: "A line plot: plot(history) draws a training history (the loss against the epoch, 1, 2, ...), plot(x, y) draws y against x; a 2-d y draws one line per column. In the terminal it is drawn with braille dots, sized to the terminal (72 × 18 characters when output is not a terminal); with file=\"name.svg\" it is written as an SVG picture instead, with axes, labels, a title (title= sets it) and, for several lines, a legend (names=[\"a\", \"b\"] names the columns; else \"column 0\", ...). log=true makes the y axis logarithmic (values <= 0 are left out).",
            example: "h = []; for k in range(50) { append(h, exp(-k / 10)) }; plot(h, log=true)") { i, a in
            let first = try a.tensor("x")
            let firstName = argumentText(a, 0, "x")
            var series: [Series] = []
            let xLabel: String, yLabel: String
            if a.isNone("y") {
                for ys in try columns(first, a, firstName) { series.append(Series(y: ys)) }
                (xLabel, yLabel) = ("epoch", argumentText(a, 0, "loss"))
            } else {
                let second = try a.tensor("y")
                let yName = argumentText(a, 1, "y")
                guard first.rank <= 1 || first.shape.filter({ $0 != 1 }).count <= 1 else {
                    throw BPError.runtime("plot(x, y) needs x with one value per point, but '\(firstName)' has shape \(describeShape(first.shape))", at: a.loc)
                }
                let xs = first.data
                for ys in try columns(second, a, yName) {
                    guard ys.count == xs.count else {
                        throw BPError.runtime("plot(x, y) needs as many x as y values: '\(firstName)' has \(xs.count) values, '\(yName)' has \(ys.count)", at: a.loc)
                    }
                    series.append(Series(x: xs, y: ys))
                }
                (xLabel, yLabel) = (firstName, yName)
            }
            let names = try lineNames(a, count: series.count)
            if series.count > 1 || !a.isNone("names") { series = series.enumerated().map { Series(x: $1.x, y: $1.y, name: names[$0]) } }
            guard let count = series.first?.y.count, count > 0 else {
                throw BPError.runtime("plot() has nothing to draw: '\(a.isNone("y") ? firstName : argumentText(a, 1, "y"))' is empty", at: a.loc)
            }
            let log = try a.bool("log")
            let drawable = series.flatMap(\.y).filter { $0.isFinite && (!log || $0 > 0) }
            if drawable.isEmpty {
                throw BPError.runtime(log ? "plot(log=true) needs positive values, and '\(yLabel)' holds none"
                                          : "plot() has nothing to draw: '\(yLabel)' holds no finite value", at: a.loc)
            }
            func svg() throws -> String {
                let title = a.isNone("title") ? (a.isNone("y") ? "\(yLabel) by epoch" : "\(yLabel) against \(xLabel)") : try a.string("title")
                return SVGLinePlot(series, title: title, xLabel: xLabel, yLabel: log ? "\(yLabel) (log scale)" : yLabel, logY: log).render()
            }
            if let file = try svgFile(a) {
                try i.writeText(try svg(), to: file, for: "plot()")
                return .none
            }
            let (w, h) = terminalPictureSize(i)
            var text = TerminalLinePlot(series, width: w, height: h, logY: log).render()
            if !a.isNone("title") { text = try a.string("title") + "\n" + text }
            try show(i, text: text, svg: svg)
            return .none
        },
        Function.builtin("boundary", [.any("model"), .tensor("X"), .tensor("y"), BuiltinParam.string("file").orNone,
                                      BuiltinParam.string("title").orNone],
            help: "The decision boundary of a classifier on points in the plane: model (a network or any function of a (points, 2) tensor) is evaluated, without recording a graph, on a grid covering X (n, 2), and the map is shaded by its answer — the probability of class 1 for one output column (outputs outside 0...1 are read as logits and passed through sigmoid), the argmax class for several — with the points of X drawn on it by their class y. In the terminal the map is text (72 × 18 characters when output is not a terminal); with file=\"name.svg\" it is an SVG picture with axes, a legend, the 0.5 contour and a title.",
            example: "def f(X) = sigmoid(4 * (X[:, 0] - X[:, 1])); X = [[0, 1], [1, 0]]; boundary(f, X, [0, 1])") { i, a in
            // a network (a host object that can be called) or a function
            let evaluate: (Arguments) throws -> Value
            switch a["model"] {
            case .function(let fn): evaluate = { try i.call(fn, $0) }
            case .host(let h as CallableHostObject): evaluate = { try i.call(h, $0) }
            default:
                throw BPError.runtime("boundary() needs a model or a function to evaluate on the plane, found a \(describe(a["model"]))", at: a.loc)
            }
            let X = try a.tensor("X"), yT = try a.tensor("y")
            let xName = argumentText(a, 1, "X"), yName = argumentText(a, 2, "y")
            guard X.rank == 2, X.shape[1] == 2, X.shape[0] > 0 else {
                throw BPError.runtime("boundary() draws points in the plane: '\(xName)' must have shape (n, 2), found \(describeShape(X.shape))", at: a.loc)
            }
            let n = X.shape[0]
            let labels = try classLabels(yT, n: n, a, xName: xName, yName: yName)
            let points = (0..<n).map { LabeledPoint(x: X.data[2 * $0], y: X.data[2 * $0 + 1], label: labels[$0]) }
            let (xLo, xHi) = DecisionMap.bounds(of: points.map(\.x)), (yLo, yHi) = DecisionMap.bounds(of: points.map(\.y))
            let file = try svgFile(a)
            let (w, h) = terminalPictureSize(i)
            // the SVG's grid is fine enough for a smooth contour; the terminal's has a point per cell
            let picture = file != nil || i.displayOutput != nil
            let (cols, rows) = picture ? (101, 101) : (Swift.max(2, w), Swift.max(2, h))
            let gx = DecisionMap.grid(xLo, xHi, cols), gy = DecisionMap.grid(yLo, yHi, rows)
            var grid = [Double](repeating: 0, count: 2 * cols * rows)
            for r in 0..<rows { for c in 0..<cols { grid[2 * (r * cols + c)] = gx[c]; grid[2 * (r * cols + c) + 1] = gy[r] } }
            let input = Tensor(shape: [cols * rows, 2], data: grid)
            input.isMarkedConstant = true
            let out = try i.engine.withGrad(false) { try evaluate(Arguments([.tensor(input)], loc: a.loc)) }
            let (values, outputClasses) = try answers(out, points: cols * rows, a, modelName: argumentText(a, 0, "model"))
            let classCount = Swift.max(outputClasses, (labels.max() ?? 0) + 1)
            let map = DecisionMap(xLo: xLo, xHi: xHi, yLo: yLo, yHi: yHi, columns: cols, rows: rows, values: values,
                                  classCount: classCount, points: points)
            func svg() throws -> String {
                let title = a.isNone("title") ? "decision boundary of \(argumentText(a, 0, "the model"))" : try a.string("title")
                return SVGDecisionMap(map, title: title).render()
            }
            if let file {
                try i.writeText(try svg(), to: file, for: "boundary()")
                return .none
            }
            if i.displayOutput != nil {
                try show(i, text: "decision boundary of \(argumentText(a, 0, "the model"))", svg: svg)
                return .none
            }
            var text = TerminalDecisionMap(map, width: w, height: h).render()
            if !a.isNone("title") { text = try a.string("title") + "\n" + text }
            i.write(text + "\n")
            return .none
        },
    ]

    /// The legend's name of each line: `names` (a list of strings, one per line), else
    /// "column 0", "column 1", ...
    static func lineNames(_ a: BoundArgs, count: Int) throws -> [String] {
        if a.isNone("names") { return (0..<count).map { "column \($0)" } }
        let plural = count == 1 ? "" : "s"
        guard case .list(let l) = a["names"] else {
            throw BPError.runtime("plot(): names must be a list of \(count) string\(plural), one per line drawn, found a \(describe(a["names"]))", at: a.loc)
        }
        guard l.items.count == count else {
            throw BPError.runtime("plot(): names must be a list of \(count) string\(plural), one per line drawn, found \(l.items.count)", at: a.loc)
        }
        return try l.items.map { item in
            guard case .string(let s) = item else { throw BPError.runtime("plot(): names must be strings, found a \(describe(item))", at: a.loc) }
            return s
        }
    }

    /// The class of each of the n points: y as whole numbers >= 0 ((n,), (n, 1)), or the
    /// argmax of one-hot rows (n, k).
    static func classLabels(_ y: Tensor, n: Int, _ a: BoundArgs, xName: String, yName: String) throws -> [Int] {
        if y.rank == 2 && y.shape[0] == n && y.shape[1] > 1 {
            let k = y.shape[1]
            let d = y.data
            return (0..<n).map { r -> Int in
                var best = 0
                for c in 1..<k where d[r * k + c] > d[r * k + best] { best = c }
                return best
            }
        }
        guard y.count == n, y.rank >= 1, y.rank <= 2 else {
            throw BPError.runtime("boundary() needs one class per point: '\(xName)' has \(n) rows but '\(yName)' has shape \(describeShape(y.shape))", at: a.loc)
        }
        return try y.data.map { v in
            guard v.isFinite, v >= 0, v == v.rounded(), v < 1000 else {
                throw BPError.runtime("boundary() needs classes 0, 1, ... in '\(yName)', found \(Formatter().number(v))", at: a.loc)
            }
            return Int(v)
        }
    }

    /// The model's answers on the grid: the probability of class 1 for one output column
    /// (logits through sigmoid), the argmax class for several; and the number of classes.
    static func answers(_ out: Value, points: Int, _ a: BoundArgs, modelName: String) throws -> ([Double], Int) {
        guard let t = Values.tensor(out) else {
            throw BPError.runtime("boundary(): '\(modelName)' returned a \(describe(out)), not a tensor of answers", at: a.loc)
        }
        if t.count == points && (t.rank == 1 || (t.rank == 2 && t.shape[1] == 1)) {
            let d = t.data
            let probabilities = d.allSatisfy { !$0.isFinite || ($0 >= 0 && $0 <= 1) }
            return (probabilities ? d : d.map { 1 / (1 + Foundation.exp(-$0)) }, 2)
        }
        if t.rank == 0 {
            throw BPError.runtime("boundary(): '\(modelName)' returned one number for the \(points) points of the grid; "
                + "it must return one value per point (one row per row of its input), or one column per class", at: a.loc)
        }
        guard t.rank == 2, t.shape[0] == points, t.shape[1] > 1 else {
            throw BPError.runtime("boundary(): '\(modelName)' returned shape \(describeShape(t.shape)) for \(points) points (\(points), 2); "
                + "it must return one value per point, or one column per class", at: a.loc)
        }
        let k = t.shape[1], d = t.data
        var classes = [Double](repeating: 0, count: points)
        for r in 0..<points {
            var best = 0
            for c in 1..<k where d[r * k + c] > d[r * k + best] { best = c }
            classes[r] = Double(best)
        }
        return (classes, k)
    }
}
