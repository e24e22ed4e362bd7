import BPTensor

/// Attributes: `x.grad`, `x.value`, `x.shape`, `x.T`, `x.name`.
enum Attributes {
    static let tensorAttributes = ["grad", "value", "shape", "T", "name", "size"]

    /// `baseText` is cut from the source only when an error needs it (a chain `a.T.T...` of
    /// 40,000 attributes would otherwise copy ever longer texts).
    static func get(_ v: Value, _ name: String, baseText lazyText: () -> String, label: Label?, at loc: SourceLocation, interp: Interpreter) throws -> Value {
        var baseText: String { lazyText() }
        switch (v, name) {
        case (.tensor(let t), "grad"):
            // after backward(f, create_graph=true): the gradient as a node
            if let node = t.gradNode { return .tensor(node) }
            guard let g = t.grad else {
                if !t.requiresGrad {
                    throw BPError.runtime("'\(baseText)' is a constant, outside every graph: it has no gradient", at: loc)
                }
                let name = t.name ?? baseText
                // the usual cause: `x = 10` after `y = x * 3` made a new x; y still uses the old one
                let rebound = t.kind == .leaf ? " (a result computed before '\(name)' was last bound uses the earlier '\(name)': compute it again)" : ""
                throw BPError.runtime(TensorError.noGradient(name: name).message + "; call backward() on a result that uses it" + rebound, at: loc)
            }
            let s = Tensor(shape: t.shape, data: g)
            s.isMarkedConstant = true
            s.markGradient(of: t)
            return .tensor(s)
        case (.number, "grad"), (.bool, "grad"):
            throw BPError.runtime("'\(baseText)' is a plain number, not part of a graph, so it has no gradient (only names bound at the top level, and results computed from them, do)", at: loc)
        case (.tensor(let t), "value"):
            let s = Tensor(shape: t.shape, data: t.data)
            s.isMarkedConstant = true
            return .tensor(s)
        case (.number, "value"): return v
        case (.tensor(let t), "shape"): return .list(ListRef(t.shape.map { .number(Double($0)) }))
        case (.number, "shape"): return .list(ListRef([]))
        case (.tensor(let t), "size"): return .number(Double(t.count))
        case (.number, "size"): return .number(1)
        case (.tensor(let t), "name"): return t.name.map { .string($0) } ?? .string(t.labelText)
        case (.tensor(let t), "T"):
            if t.rank < 2 { return v }
            // a matrix without a permutation array (two allocations: half of `.T`'s cost)
            if t.rank == 2 { return Values.wrap(Tensor.transposeMatrix(t, label: label)) }
            return Values.wrap(Tensor.permute(t, Array((0..<t.rank).reversed()), label: label))
        case (.number, "T"): return v
        case (.host(let h), _):
            let found: Value?
            do { found = try h.attribute(name) } catch var e as BPError {
                if e.location == nil { e.location = loc }
                throw e
            }
            if let found { return found }
            throw BPError.runtime("a \(h.kindName) has no attribute '\(name)'" + interp.suggestion(name, h.attributeNames), at: loc)
        default:
            let known: [String]
            switch v {
            case .tensor, .number: known = tensorAttributes
            default: known = []
            }
            throw BPError.runtime("a \(describe(v)) has no attribute '\(name)'" + interp.suggestion(name, known), at: loc)
        }
    }
}
