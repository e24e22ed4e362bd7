import BPTensor

/// Attributes: `x.grad`, `x.value`, `x.shape`, `x.T`, `x.name`.
enum Attributes {
    /// The attributes of tensors and numbers, resolved when an expression is compiled (the
    /// name was compared as a string, one case after another, on every `a1.T` of a loop).
    enum Name: String, CaseIterable {
        case grad, value, shape, T, name, size
    }
    static let tensorAttributes = Name.allCases.map(\.rawValue)

    /// `baseText` is cut from the source only when an error needs it (a chain `a.T.T...` of
    /// 40,000 attributes would otherwise copy ever longer texts). `known` is
    /// `Name(rawValue: name)`, looked up by the caller once.
    static func get(_ v: Value, _ name: String, known: Name?, baseText lazyText: () -> String, label: Label?,
                    at loc: SourceLocation, interp: Interpreter) throws -> Value {
        var baseText: String { lazyText() }
        if let known {
            switch v {
            case .tensor(let t): return try tensorAttribute(t, v, known, baseText: lazyText, label: label, at: loc)
            case .number:
                switch known {
                case .grad: throw plainNumberHasNoGradient(baseText, at: loc)
                case .value, .T: return v
                case .shape: return .list(ListRef([]))
                case .size: return .number(1)
                case .name: break
                }
            case .bool:
                if known == .grad { throw plainNumberHasNoGradient(baseText, at: loc) }
            default: break
            }
        }
        switch v {
        case .host(let h):
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

    static func plainNumberHasNoGradient(_ baseText: String, at loc: SourceLocation) -> BPError {
        BPError.runtime("'\(baseText)' is a plain number, not part of a graph, so it has no gradient (only names bound at the top level, and results computed from them, do)", at: loc)
    }

    /// A known attribute of the tensor `t` (`v` is `.tensor(t)`).
    private static func tensorAttribute(_ t: Tensor, _ v: Value, _ known: Name, baseText lazyText: () -> String,
                                        label: Label?, at loc: SourceLocation) throws -> Value {
        var baseText: String { lazyText() }
        switch known {
        case .grad:
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
        case .value:
            let s = Tensor(shape: t.shape, data: t.data)
            s.isMarkedConstant = true
            return .tensor(s)
        case .shape: return .list(ListRef(t.shape.map { .number(Double($0)) }))
        case .size: return .number(Double(t.count))
        case .name: return t.name.map { .string($0) } ?? .string(t.labelText)
        case .T:
            if t.rank < 2 { return v }
            // a matrix without a permutation array (two allocations: half of `.T`'s cost)
            if t.rank == 2 { return Values.wrap(Tensor.transposeMatrix(t, label: label)) }
            return Values.wrap(Tensor.permute(t, Array((0..<t.rank).reversed()), label: label))
        }
    }
}
