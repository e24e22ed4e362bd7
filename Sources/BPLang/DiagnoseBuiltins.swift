import BPNet
import BPTensor

/// Diagnostics of a network's gradients and units: `gradnorms`, `dead`, `diagnose`. The
/// numbers are BPNet's (GradientNorms, DeadUnits, Diagnosis); this file words the reports,
/// printed as tables, and what to try.
enum DiagnoseBuiltins {
    /// Three significant digits: a report is a glance, not a value.
    static func short(_ i: Interpreter) -> Formatter {
        var f = i.formatter
        f.digits = Swift.min(f.digits, 3)
        return f
    }

    static func percent(_ share: Double) -> String {
        let p = share * 100
        return (p > 0 && p < 1 ? "<1" : String(Int(p.rounded()))) + "%"
    }

    static func layers(_ a: BoundArgs) throws -> (Module, [ActivatedLayer]) {
        let m = try NetworkBuiltins.model(a["net"], a.function)
        let walked = ActivatedLayer.walk(m)
        guard !walked.isEmpty else { throw BPError.runtime("\(a.function)() looks at dense layers, and this model has none", at: a.loc) }
        return (m, walked)
    }

    static let tryForVanishing = "try act=relu with init=\"he\", fewer layers, or tanh instead of sigmoid"
    static let tryForExploding = "try smaller initial weights (init=\"xavier\" or a small number), clip=1 in train, or a smaller learning rate"

    static func vanishing(_ f: Formatter, _ layer: String, _ ratio: Double, _ first: Double) -> String {
        "vanishing gradients from layer \(layer) toward the input: its mean |grad| is \(f.number(ratio)) of the last layer's"
            + (layer == "0" ? "" : " (layer 0: \(f.number(first)))") + ", so it and the layers before it barely learn; " + tryForVanishing
    }

    static func exploding(_ f: Formatter, _ layer: String, _ ratio: Double, _ first: Double) -> String {
        "exploding gradients from layer \(layer) toward the input: its mean |grad| is \(f.number(ratio)) times the last layer's"
            + (layer == "0" ? "" : " (layer 0: \(f.number(first)))") + "; " + tryForExploding
    }

    static func finding(_ f: Formatter, _ d: Diagnosis, _ finding: Diagnosis.Finding) -> String {
        switch finding {
        case .nonFinite:
            return "the loss or a gradient is nan or inf: the weights have diverged (make the model again and train with a smaller learning rate) or the data holds nan or inf (any(isnan(X)))"
        case .noGradient:
            return "every gradient is 0, so nothing learns: the output is saturated or its units are dead (see the columns above); make the model again, with a smaller learning rate or smaller initial weights"
        case let .vanishing(layer, ratio, first): return vanishing(f, layer, ratio, first)
        case let .exploding(layer, ratio, first): return exploding(f, layer, ratio, first)
        case let .diverging(layer, ratio, lr, suggested):
            return "the learning rate diverges (the weights will explode): at lr \(f.number(lr)) one SGD step changes layer \(layer)'s weights by \(f.number(ratio)) times their size (steps of 0.001 to 0.01 of the weights learn steadily), so the loss will grow instead of falling; try lr=\(f.number(suggested))"
        case let .dead(layer, share):
            return "layer \(layer): \(percent(share)) of its ReLU units are dead on X (they never activate, so they never learn); try a smaller learning rate, init=\"he\", or leaky_relu"
        case let .saturated(layer, activation, share):
            return "layer \(layer): \(percent(share)) of its \(activation) inputs have |z| > 4, where the slope is nearly 0 and little gradient passes; try smaller initial weights, inputs scaled to about [-1, 1], or relu"
        }
    }

    static func shapeText(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ",") + ")" }

    static let functions: [Function] = [
        Function.builtin("gradnorms", [.any("net")],
            help: "After backward: a table of each dense layer's mean absolute weight gradient (mean |W.grad|) and its ratio to the last layer's, with a warning when gradients vanish (a ratio below 0.01: the early layers barely learn) or explode (above 10), naming the layer. Returns the means as a 1-d tensor, first layer first.",
            example: "seed(0); net = mlp([2, 8, 1]); X, y = xor(); backward(mse(net(X), y)); g = gradnorms(net)") { i, a in
            let (_, walked) = try layers(a)
            guard let norms = GradientNorms(walked) else {
                throw BPError.runtime("gradnorms(): the network has no gradients yet; run backward(loss) first (or diagnose(net, X, y), which does)", at: a.loc)
            }
            let f = short(i)
            var rows = [["layer", "weights", "activation", "mean |grad|", "ratio to last"]]
            for (l, n) in zip(walked, norms.layers) {
                rows.append([l.name, shapeText(l.dense.W.shape), l.activation?.name ?? "-", f.number(n.meanAbs), n.ratio.map(f.number) ?? "-"])
            }
            var text = Table.render(rows)
            switch norms.verdict {
            case .healthy: break
            case let .vanishing(layer, ratio, first): text += "warning: " + vanishing(f, layer, ratio, first) + "\n"
            case let .exploding(layer, ratio, first): text += "warning: " + exploding(f, layer, ratio, first) + "\n"
            }
            i.write(text)
            return NetworkBuiltins.constant(Tensor(shape: [norms.layers.count], data: norms.layers.map(\.meanAbs)))
        },
        Function.builtin("dead", [.any("net"), .tensor("X")],
            help: "The ReLU units that never activate on X: for every row their input is <= 0, so their output and gradient are 0 and they cannot learn from this data. Prints a table of the ReLU layers and returns how many units are dead.",
            example: "seed(0); net = mlp([2, 8, 1], act=relu); X, y = moons(100); dead(net, X)") { i, a in
            let (m, _) = try layers(a)
            let x = try a.tensor("X")
            guard x.rank == 2 else { throw BPError.runtime("dead() needs X with one sample per row (n, features), found shape \(describeShape(x.shape))", at: a.loc) }
            let dead = try NetworkBuiltins.net { try DeadUnits(m, x) }
            guard !dead.layers.isEmpty else {
                i.write("no ReLU layers: dead() looks for ReLU units that never activate\n")
                return .number(0)
            }
            var rows = [["layer", "units", "dead", "which"]]
            for l in dead.layers {
                rows.append([l.name, "\(l.units)", "\(l.dead.count)", l.dead.isEmpty ? "-" : l.dead.map(String.init).joined(separator: " ")])
            }
            let units = dead.layers.reduce(0) { $0 + $1.units }
            i.write(Table.render(rows) + "\(dead.total) of \(units) ReLU units never activate on the \(x.shape[0]) rows of \(PlotBuiltins.argumentText(a, 1, "X"))\n")
            return .number(Double(dead.total))
        },
        Function.builtin("diagnose", [.any("net"), .tensor("X"), .tensor("y"), BuiltinParam("loss", .any, default: .string("auto")),
                                      .number("lr", 0.1)],
            help: "One forward and backward pass on X, y, then a report: per dense layer the gradient's mean |grad| and norm, the update-to-weight ratio (lr * |grad| / |W|: the size of one SGD step at lr next to the weights; 0.001 to 0.01 learns steadily, above 1 diverges), the share of dead ReLU units and of saturated sigmoid/tanh inputs (|z| > 4); the total gradient norm and the factor clipping at norm 1 would apply; and verdicts, each naming the layer and what to try: vanishing or exploding gradients, a learning rate that diverges, dead or saturated layers. loss=\"auto\" takes bce when the model ends in sigmoid, cross_entropy when it outputs several columns and y holds class labels, else mse. The model's gradients are left as this backward pass set them.",
            example: "seed(0); net = mlp([2, 8, 1]); X, y = moons(100); diagnose(net, X, y)") { i, a in
            let (m, _) = try layers(a)
            let X = try a.tensor("X"), y = try a.tensor("y")
            guard X.rank == 2, X.shape[0] > 0, y.rank >= 1, y.shape[0] == X.shape[0] else {
                throw BPError.runtime("diagnose() needs X (n, features) with n > 0 and y with the same n rows, found X \(describeShape(X.shape)) and y \(describeShape(y.shape))", at: a.loc)
            }
            var loss: Loss? = nil
            switch a["loss"] {
            case .none: break
            case .string(let s):
                guard s == "auto" else { throw BPError.runtime("diagnose(): loss must be a loss function (mse, bce, ...) or \"auto\", found \"\(s)\"", at: a.loc) }
            case let v: loss = try TrainBuiltins.loss(v, i)
            }
            let lr = try TrainBuiltins.positive(a, "lr")
            let d = try NetworkBuiltins.net { try Diagnosis(m, X, y, loss: loss, lr: lr) }
            let f = short(i)
            var text = "diagnose: one forward and backward pass with \(d.loss) on \(d.samples) samples: loss \(f.number(d.lossValue))\n"
            var rows = [["layer", "weights", "activation", "mean |grad|", "grad norm", "update/weight", "dead", "saturated"]]
            for l in d.layers {
                rows.append([l.name, shapeText(l.shape), l.activation ?? "-", f.number(l.meanAbsGrad), f.number(l.gradNorm),
                             f.number(l.updateRatio), l.deadShare.map(percent) ?? "-", l.saturatedShare.map(percent) ?? "-"])
            }
            text += Table.render(rows)
            text += "update/weight is lr * |grad| / |W| at lr \(f.number(lr)); dead: ReLU units never active on X; saturated: sigmoid/tanh inputs with |z| > 4\n"
            text += "gradient norm \(f.number(d.totalNorm)): clipping at norm 1 "
                + (!d.totalNorm.isFinite ? "cannot rescale a gradient that is not finite"
                   : d.clipFactor < 1 ? "would scale the gradients by \(f.number(d.clipFactor))" : "would leave them unchanged (factor 1)") + "\n"
            if d.findings.isEmpty {
                text += "verdict: healthy: no vanishing or exploding gradients, steps of a sensible size at lr \(f.number(lr)), no dead or saturated layer\n"
            }
            for found in d.findings { text += "verdict: " + finding(f, d, found) + "\n" }
            i.write(text)
            return .none
        },
    ]
}
