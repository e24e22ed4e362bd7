import BPTensor

/// A dense layer seen with the activation applied to its output: its own `act`, or the
/// function right after it in a `seq` (`seq(dense(2, 4), relu, ...)`). The diagnostics
/// (`gradnorms`, `dead`, `diagnose`) report one line per such layer.
public struct ActivatedLayer {
    /// Where the layer sits: its index in `net.layers` ("2"), a path for nested sequences
    /// ("1.0"), "0" for a lone dense layer.
    public let name: String
    public let dense: Dense
    public let activation: Activation?

    /// The dense layers of a model, depth first, each with the activation that follows it.
    public static func walk(_ model: Module) -> [ActivatedLayer] {
        var found: [ActivatedLayer] = []
        func visit(_ m: Module, _ path: [Int]) {
            switch m {
            case let d as Dense:
                found.append(ActivatedLayer(name: path.isEmpty ? "0" : path.map(String.init).joined(separator: "."),
                                            dense: d, activation: d.activation))
            case let s as Sequential:
                for (k, layer) in s.layers.enumerated() {
                    // a function right after an activation-less dense layer is its activation
                    if let l = layer as? Lambda, k > 0, let d = s.layers[k - 1] as? Dense, d.activation == nil,
                       let last = found.last, last.dense === d {
                        found[found.count - 1] = ActivatedLayer(name: last.name, dense: d, activation: l.activation)
                    }
                    visit(layer, path + [k])
                }
            default:
                break
            }
        }
        visit(model, [])
        return found
    }

    /// The activation is the engine's `op` (`.relu`, `.sigmoid`, `.tanh`).
    public func isActivation(_ op: UnaryFunction) -> Bool { activation?.unary == op }
}
