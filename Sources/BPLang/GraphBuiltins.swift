import BPGraphviz
import BPTensor
import Foundation

/// `graph(f)`, `dot(f, "f.dot")` and `render(f, "f.svg")`: a graph as a tree in the terminal,
/// as Graphviz DOT, and as a picture drawn by Graphviz's `dot` program.
enum GraphBuiltins {
    static func root(_ a: BoundArgs) throws -> Tensor {
        let f = try Autodiff.node(a, "f", "a result to draw")
        guard f.requiresGrad else {
            throw BPError.runtime("\(a.function)() needs a result computed from leaves, but this value is a constant outside every graph")
        }
        return f
    }

    /// Graphviz's picture of DOT `text` (its failure as bp's error).
    static func draw(_ text: String, format: String) throws -> [UInt8] {
        do { return try GraphvizProgram.run(text, format: format) } catch { throw BPError.runtime(error.message) }
    }

    static let functions: [Function] = [
        Function.builtin("graph", [.any("f"), .count("depth", 10), .count("nodes", 60)],
            help: "Prints f's graph as a tree, f first and each node's inputs below it: the node's label, its operation (leaf for a leaf, const for a constant), its value and, after backward, its gradient. A tensor shows its shape and its values, or a summary when it has more than 4. A node used twice is printed once and referenced after (↑ see b). Below depth levels, and after nodes nodes, a branch is cut and says how many nodes it leaves out.",
            example: "a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f); graph(f)") { i, a in
            let f = try root(a)
            let tree = GraphTree(text: GraphNodeText(formatter: i.formatter), depth: try a.count("depth"), limit: max(1, try a.count("nodes")))
            let text = tree.render(f)
            // a notebook gets Graphviz's picture where Graphviz is installed
            if let display = i.displayOutput, GraphvizProgram.find() != nil {
                let picture = try draw(GraphDot(text: GraphNodeText(formatter: i.formatter)).render(f), format: "svg")
                display(Display(["image/svg+xml": String(decoding: picture, as: UTF8.self), "text/plain": text]))
                return .none
            }
            i.write(text)
            return .none
        },
        Function.builtin("dot", [.any("f"), .string("file")],
            help: "Writes f's graph to a file as Graphviz DOT: one box per node with its label, operation, value and, after backward, gradient, and an arrow from each input to the node that uses it. The file is replaced atomically. Draw it with render, or with Graphviz's dot program (dot -Tsvg f.dot -o f.svg).",
            example: "a = 1; b = 2; f = a * b; dot(f, \"/tmp/bp-help-graph.dot\")") { i, a in
            let f = try root(a)
            try i.writeText(GraphDot(text: GraphNodeText(formatter: i.formatter)).render(f), to: try a.string("file"), for: "dot()")
            return .none
        },
        Function.builtin("render", [.any("f"), .string("file")],
            help: "Draws f's graph (as dot writes it) to an SVG or PNG picture, by the file's extension (.svg or .png), with Graphviz's dot program, which must be installed (Debian and Ubuntu: sudo apt-get install graphviz).",
            example: "a = 1; b = 2; f = (a + b) * b; backward(f); render(f, \"/tmp/bp-help-graph.svg\")") { i, a in
            let f = try root(a)
            let file = try a.string("file")
            let format: String
            switch file.split(separator: ".").last.map({ $0.lowercased() }) {
            case "svg"?: format = "svg"
            case "png"?: format = "png"
            default: throw BPError.runtime("render(): '\(file)' should end in .svg or .png (the picture's format)")
            }
            let text = GraphDot(text: GraphNodeText(formatter: i.formatter)).render(f)
            let picture = try draw(text, format: format)
            try i.writeBytes(picture, to: file, for: "render()")
            // a notebook also shows the picture it wrote
            if let display = i.displayOutput {
                display(Display(format == "svg" ? ["image/svg+xml": String(decoding: picture, as: UTF8.self), "text/plain": "graph of \(file)"]
                                : ["image/png": Data(picture).base64EncodedString(), "text/plain": "graph of \(file)"]))
            }
            return .none
        },
    ]
}
