import BPNet
import BPTensor

/// The losses of SPEC §8, each a recorded mean (BPNet's `Loss`).
enum LossBuiltins {
    static func loss(_ name: String, _ yhat: String, _ y: String, help: String, example: String) -> Function {
        let body = Loss.named(name)!
        return Function.builtin(name, [.tensor(yhat), .tensor(y)], help: help, example: example) { _, a in
            let out = try NetworkBuiltins.net { try body(try a.tensor(yhat), try a.tensor(y)) }
            out.label = a.label
            return Values.wrap(out)
        }
    }

    static let functions: [Function] = [
        loss("mse", "yhat", "y",
            help: "Mean squared error mean((yhat - y)^2). yhat and y must have the same shape: (n, 1) against (n,) is an error, not a broadcast to (n, n).",
            example: "mse([[1], [2]], [[1], [4]])   # 2"),
        loss("bce", "yhat", "y",
            help: "Binary cross-entropy -mean(y log p + (1 - y) log(1 - p)) of probabilities yhat, clamped to [1e-12, 1 - 1e-12] (no gradient flows through a clamped element). With a sigmoid output its gradient is (yhat - y) / n at the logits. For logits use bce_logits.",
            example: "bce([[0.9], [0.2]], [[1], [0]])   # 0.164252"),
        loss("bce_logits", "z", "y",
            help: "Binary cross-entropy of sigmoid(z), computed stably from the logits z as mean(softplus(z) - z y): finite even at z = ±1000.",
            example: "bce_logits([[1000], [-1000]], [[1], [0]])   # 0"),
        loss("cross_entropy", "logits", "labels",
            help: "Softmax cross-entropy: logits (n, classes), labels whole numbers in 0..classes-1 of shape (n,) or (n, 1); the mean over the n samples of -log_softmax(logits)[label], computed stably (log-sum-exp).",
            example: "cross_entropy([[2, 0, 0]], [0])   # 0.239545"),
        loss("hinge", "yhat", "y",
            help: "Hinge loss mean(max(0, 1 - y yhat)) with labels -1/1; labels 0/1 are read as -1/1.",
            example: "hinge([[2], [-0.5]], [[1], [0]])   # 0.25"),
    ]
}
