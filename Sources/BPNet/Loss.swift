import BPTensor

/// A loss: a number computed with recorded operations from a prediction and its targets.
/// The five of SPEC §8 are means (over elements, or over samples for `cross_entropy`), each
/// stable for logits of ±1000.
public struct Loss {
    public let name: String
    /// What the host language knows the loss as (a bp function value); opaque here.
    public let source: AnyObject?
    let body: (Tensor, Tensor) throws -> Tensor

    public init(name: String, source: AnyObject? = nil, _ body: @escaping (Tensor, Tensor) throws -> Tensor) {
        self.name = name
        self.source = source
        self.body = body
    }

    public func callAsFunction(_ yhat: Tensor, _ y: Tensor) throws -> Tensor { try body(yhat, y) }

    /// The built-in losses by name.
    public static func named(_ name: String, source: AnyObject? = nil) -> Loss? {
        let body: ((Tensor, Tensor) throws -> Tensor)?
        switch name {
        case "mse": body = mse
        case "bce": body = bce
        case "bce_logits": body = bceLogits
        case "cross_entropy": body = crossEntropy
        case "hinge": body = hinge
        default: body = nil
        }
        return body.map { Loss(name: name, source: source, $0) }
    }

    static func sameShape(_ loss: String, _ yhat: Tensor, _ y: Tensor) throws {
        if yhat.shape != y.shape { throw NetError.lossShapes(loss: loss, yhat: yhat.shape, y: y.shape) }
    }

    static func mean(_ x: Tensor) throws -> Tensor {
        try Tensor.binary(.div, Tensor.sum(x, axes: nil), constant: Double(max(x.count, 1)))
    }

    /// mean((yhat - y)^2)
    public static func mse(_ yhat: Tensor, _ y: Tensor) throws -> Tensor {
        try sameShape("mse", yhat, y)
        let d = try Tensor.binary(.sub, yhat, y)
        return try mean(Tensor.binary(.mul, d, d))
    }

    /// The clamp of `bce`: log never sees 0 or 1.
    public static let bceClamp = 1e-12

    /// -mean(y log p + (1 - y) log(1 - p)) with p = clip(yhat, 1e-12, 1 - 1e-12).
    public static func bce(_ yhat: Tensor, _ y: Tensor) throws -> Tensor {
        try sameShape("bce", yhat, y)
        let p = try Tensor.clip(yhat, bceClamp, 1 - bceClamp)
        let pos = try Tensor.binary(.mul, y, Tensor.unary(.log, p))
        let oneMinusY = try Tensor.binary(.sub, constant: 1, y, constantOnLeft: true)
        let oneMinusP = try Tensor.binary(.sub, constant: 1, p, constantOnLeft: true)
        let neg = try Tensor.binary(.mul, oneMinusY, Tensor.unary(.log, oneMinusP))
        return try Tensor.unary(.neg, mean(Tensor.binary(.add, pos, neg)))
    }

    /// mean(softplus(z) - z y): BCE of sigmoid(z), never overflowing.
    public static func bceLogits(_ z: Tensor, _ y: Tensor) throws -> Tensor {
        try sameShape("bce_logits", z, y)
        return try mean(Tensor.binary(.sub, Tensor.unary(.softplus, z), Tensor.binary(.mul, z, y)))
    }

    /// mean(max(0, 1 - y yhat)), labels 0/1 read as -1/1.
    public static func hinge(_ yhat: Tensor, _ y: Tensor) throws -> Tensor {
        try sameShape("hinge", yhat, y)
        var labels = y.data
        if let bad = labels.first(where: { $0 != 0 && $0 != 1 && $0 != -1 }) { throw NetError.hingeLabels(value: bad) }
        labels = labels.map { $0 == 0 ? -1 : $0 }
        let signed = Tensor(shape: y.shape, data: labels)
        let margin = try Tensor.binary(.sub, constant: 1, Tensor.binary(.mul, signed, yhat), constantOnLeft: true)
        return try mean(Tensor.unary(.relu, margin))
    }

    /// The mean over samples of -log_softmax(logits)[label]; logits (n, classes), labels
    /// (n,) or (n, 1) whole numbers. log-sum-exp with the row maximum subtracted.
    public static func crossEntropy(_ logits: Tensor, _ labels: Tensor) throws -> Tensor {
        guard logits.rank == 2 else { throw NetError.lossShapes(loss: "cross_entropy", yhat: logits.shape, y: labels.shape) }
        let n = logits.shape[0], classes = logits.shape[1]
        guard labels.shape == [n] || labels.shape == [n, 1] else {
            throw NetError.lossShapes(loss: "cross_entropy", yhat: logits.shape, y: labels.shape)
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(n)
        for (i, v) in labels.data.enumerated() {
            guard v == v.rounded(), v >= 0, v < Double(classes) else { throw NetError.badLabel(loss: "cross_entropy", value: v, classes: classes) }
            offsets.append(i * classes + Int(v))
        }
        let m = try Tensor.extreme(logits, axes: [1], keepdims: true, largest: true)
        let shifted = try Tensor.binary(.sub, logits, Tensor(shape: m.shape, data: m.data))
        let lse = try Tensor.unary(.log, Tensor.sum(Tensor.unary(.exp, shifted), axes: [1], keepdims: true))
        let logp = try Tensor.binary(.sub, shifted, lse)
        let picked = Tensor.gather(logp, offsets, shape: [n])
        return try Tensor.unary(.neg, mean(picked))
    }
}
