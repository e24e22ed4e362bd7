import BPNet
import BPTensor
import Foundation

/// Optimizers and training: `sgd`, `adam`, `step`, `clip_grad`, `train`.
enum TrainBuiltins {
    static func optimizer(_ v: Value, _ fn: String) throws -> Optimizer {
        guard case .host(let h) = v, let o = h as? Optimizer else {
            throw BPError.runtime("\(fn)() takes an optimizer (sgd(...) or adam(...)), found a \(describe(v))")
        }
        return o
    }

    /// A bp function as a loss: BPNet's own for the five builtins, else called through the interpreter.
    static func loss(_ v: Value, _ interp: Interpreter) throws -> Loss {
        guard case .function(let f) = v else { throw BPError.runtime("train() expects a loss function (mse, bce, ...) for 'loss', found a \(describe(v))") }
        if case .builtin = f.body, let l = Loss.named(f.name, source: f) { return l }
        return Loss(name: f.name, source: f) { [weak interp] yhat, y in
            guard let interp else { throw BPError.runtime("the session that made this loss has ended") }
            let r = try interp.call(f, Arguments([.tensor(yhat), .tensor(y)]))
            guard let t = try Values.toTensor(r) else { throw BPError.runtime("the loss '\(f.name)' returned a \(describe(r)), not a number") }
            return t
        }
    }

    static func positive(_ a: BoundArgs, _ name: String) throws -> Double {
        let x = try a.number(name)
        guard x > 0, x.isFinite else { throw BPError.runtime("\(a.function)(): \(name) must be a positive number, found \(Formatter().number(x))") }
        return x
    }

    static let functions: [Function] = [
        Function.builtin("sgd", [.number("lr", 0.1), .number("momentum", 0)],
            help: "Gradient descent with PyTorch's momentum: v = momentum * v + g (v starting at 0), then p -= lr * v. Keeps v per parameter.",
            example: "opt = sgd(lr=0.5, momentum=0.9)") { _, a in
            let m = try a.number("momentum")
            guard m >= 0, m < 1 else { throw BPError.runtime("sgd(): momentum must be in [0, 1), found \(Formatter().number(m))") }
            return .host(SGD(lr: try positive(a, "lr"), momentum: m))
        },
        Function.builtin("adam", [.number("lr", 0.001), .number("beta1", 0.9), .number("beta2", 0.999), .number("eps", 1e-8)],
            help: "Adam with PyTorch's rule: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, p -= lr * m_hat / (sqrt(v_hat) + eps) with the bias-corrected m_hat, v_hat. Keeps m, v and the step count per parameter.",
            example: "opt = adam(lr=0.01)") { _, a in
            for name in ["beta1", "beta2"] {
                let b = try a.number(name)
                guard b >= 0, b < 1 else { throw BPError.runtime("adam(): \(name) must be in [0, 1), found \(Formatter().number(b))") }
            }
            return .host(Adam(lr: try positive(a, "lr"), beta1: try a.number("beta1"), beta2: try a.number("beta2"), eps: try positive(a, "eps")))
        },
        Function.builtin("step", [.any("opt"), .any("params")],
            help: "One update of a model's parameters, or of the leaves listed, from their current gradients (after backward). Parameters no backward reached are left alone.",
            example: "W = randn(2, 1); opt = sgd(lr=0.1); backward(sum(W * W)); step(opt, [W])") { _, a in
            try optimizer(a["opt"], "step").step(try NetworkBuiltins.parameters(a["params"], "step"))
            return .none
        },
        Function.builtin("clip_grad", [.any("net"), .number("max_norm")],
            help: "Rescales all gradients of a model (or of the leaves listed) so their total norm is at most max_norm, as PyTorch's clip_grad_norm_; returns the norm before clipping.",
            example: "W = [3, 4]; backward(sum(W * W) / 2); clip_grad([W], 1)   # 5") { _, a in
            .number(ClipGrad.apply(try NetworkBuiltins.parameters(a["net"], "clip_grad"), maxNorm: try positive(a, "max_norm")))
        },
        Function.builtin("train", [.any("net"), .tensor("X"), .tensor("y"), BuiltinParam("loss", .any, default: .function(LossBuiltins.functions[0])),
                                   BuiltinParam("opt", .any, default: Value.none), BuiltinParam.number("lr").orNone, .count("epochs", 1000),
                                   .count("batch", 0), BuiltinParam.number("clip").orNone, BuiltinParam.count("every").orNone,
                                   .bool("quiet", false)],
            help: "Trains net on X, y: each epoch a forward pass, the loss, backward and one optimizer step per batch (batch=0: the whole data; batch=k: rows shuffled every epoch, the last batch smaller). opt defaults to sgd(lr=0.1); lr=x is a shortcut for opt=sgd(lr=x). Returns the history: the loss before each update, one per epoch. On a terminal it shows a progress bar (epoch, loss, epochs/s, time left) and then one line at the end; otherwise it prints a line every `every` epochs, or that one line at the end; quiet=true prints nothing. Ctrl-C stops after the current epoch, keeping what was learned; a nan or inf loss stops training.",
            example: "X, y = xor(); net = mlp([2, 4, 1]); h = train(net, X, y, loss=bce, lr=1.0, quiet=true)") { i, a in
            try train(i, a)
        },
    ]

    static func train(_ i: Interpreter, _ a: BoundArgs) throws -> Value {
        let model = try NetworkBuiltins.model(a["net"], "train")
        let opt: Optimizer
        if !a.isNone("lr") {
            guard a.isNone("opt") else { throw BPError.runtime("train(): give either opt or lr (lr=x is a shortcut for opt=sgd(lr=x))") }
            opt = SGD(lr: try positive(a, "lr"))
        } else {
            opt = a.isNone("opt") ? SGD(lr: 0.1) : try optimizer(a["opt"], "train")
        }
        var trainer = Trainer(model: model, loss: try loss(a["loss"], i), optimizer: opt)
        trainer.epochs = try a.count("epochs")
        trainer.batch = try a.count("batch")
        if !a.isNone("clip") { trainer.clip = try positive(a, "clip") }
        let quiet = try a.bool("quiet")
        let every = a.isNone("every") ? nil : try a.count("every")
        if every == 0 { throw BPError.runtime("train(): every must be at least 1, found 0") }
        let width = String(max(trainer.epochs - 1, 0)).count
        let f = i.formatter
        if let every, !quiet {
            trainer.onEpoch = { epoch, loss in
                if epoch % every == 0 {
                    let e = String(epoch)
                    i.write("epoch " + String(repeating: " ", count: width - e.count) + e + "  loss " + f.number(loss) + "\n")
                }
            }
        }
        // on a terminal, a progress bar instead of the one line at the end; it goes away
        // before the line that says how training ended
        let bar = every == nil && !quiet ? i.trainingProgress : nil
        if let bar { trainer.onEpoch = { epoch, loss in bar.epoch(epoch, loss: loss) } }
        let flag = i.interruptFlag
        trainer.shouldStop = { flag.pointee != 0 }
        bar?.start(epochs: trainer.epochs)
        let result: Trainer.Result
        do {
            defer { bar?.finish() }
            result = try NetworkBuiltins.net { try trainer.run(try a.tensor("X"), try a.tensor("y")) }
        }
        switch result.stop {
        case .finished:
            if every == nil, !quiet, let last = result.history.last {
                i.write("trained \(result.history.count) epoch\(result.history.count == 1 ? "" : "s"): loss \(f.number(last)) in "
                    + String(format: "%.2f", result.seconds) + " s\n")
            }
        case .interrupted(let epochs):
            i.noteOutput("train: interrupted after \(epochs) epoch\(epochs == 1 ? "" : "s")"
                + (result.history.last.map { " (loss \(f.number($0)))" } ?? "") + "; the weights learned so far are kept\n")
        case .nonFinite(let epoch, let loss):
            i.noteOutput("train: stopped at epoch \(epoch): the loss became \(f.number(loss)); the learning rate (\(f.number(opt.lr))) is probably too large, try a smaller one\n")
        }
        let h = Tensor(shape: [result.history.count], data: result.history)
        h.isMarkedConstant = true
        return .tensor(h)
    }
}
