/// `where(mask, a, b)`: a where the mask is non-zero, else b; all three broadcast. The mask
/// is data (a comparison computed once), so replaying the graph keeps it as it was.
final class SelectOperation: Operation {
    var mask: Tensor
    init(_ mask: Tensor) { self.mask = mask }

    override var symbol: String { "where" }
    override var rule: String { "d where(m, a, b)/da = 1 where m is true, else 0; d/db = 1 where m is false" }

    override var keepsTensors: Bool { true }
    override func takeTensors(into stack: inout ReleaseStack) {
        // a long chain of `where` must not release its masks recursively either
        stack.push(mask)
        mask = Tensor(scalar: 0)
    }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        try Tensor.select(mask, inputs[0], inputs[1])
    }

    /// 1 where the mask (broadcast to the result) picks a, else 0.
    func picks(_ node: Tensor) -> [Double] { Broadcast.expand(mask, to: node.shape).map { $0 != 0 ? 1 : 0 } }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let m = picks(node)
        if node.a!.requiresGrad {
            Backward.accumulate((0..<g.count).map { m[$0] * g[$0] }, local: [], into: node.a!, outShape: node.shape,
                                via: node, upstream: g, trace: trace)
        }
        if node.b!.requiresGrad {
            Backward.accumulate((0..<g.count).map { (1 - m[$0]) * g[$0] }, local: [], into: node.b!, outShape: node.shape,
                                via: node, upstream: g, trace: trace)
        }
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let m = picks(node)
        let ma = Tensor(shape: node.shape, data: m), mb = Tensor(shape: node.shape, data: m.map { 1 - $0 })
        return [node.a!.requiresGrad ? try Tensor.sumTo(Tensor.binary(.mul, g, ma), node.a!.shape) : nil,
                node.b!.requiresGrad ? try Tensor.sumTo(Tensor.binary(.mul, g, mb), node.b!.shape) : nil]
    }
}

extension Tensor {
    /// `where(mask, a, b)`: a where the mask is non-zero, else b; all three broadcast.
    public static func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor, label: Label? = nil) throws -> Tensor {
        let s1 = try Broadcast.result(a.shape, b.shape, op: "where")
        let shape = try Broadcast.result(mask.shape, s1, op: "where")
        let m = Broadcast.expand(mask, to: shape), x = Broadcast.expand(a, to: shape), y = Broadcast.expand(b, to: shape)
        let t = Tensor(shape: shape, data: (0..<m.count).map { m[$0] != 0 ? x[$0] : y[$0] })
        Engine.record(t, SelectOperation(mask), a, b, label: label)
        return t
    }
}
