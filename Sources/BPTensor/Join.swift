/// Joining tensors: `stack` along a new axis, `concat` along an existing one.
final class JoinOperation: Operation {
    /// For each input, where each of its elements goes in the output.
    let offsets: [[Int]]
    /// Inputs after the node's `a` and `b`, and their versions when used.
    var extra: [Tensor]
    let extraVersions: [UInt32]

    init(_ offsets: [[Int]], extra: [Tensor]) {
        self.offsets = offsets
        self.extra = extra
        extraVersions = extra.map(\.version)
    }

    override var symbol: String { "stack" }
    override var rule: String { "d stack(x1, x2, ...)/dxk = 1 for each element of xk in the result" }
    override var extraInputs: [Tensor] { extra }
    override var hasExtraInputs: Bool { !extra.isEmpty }

    override func changedExtraInput() -> Tensor? {
        for (t, v) in zip(extra, extraVersions) where t.version != v { return t }
        return nil
    }

    override var keepsTensors: Bool { !extra.isEmpty }
    override func takeTensors(into stack: inout ReleaseStack) {
        for t in extra { stack.push(t) }
        extra = []
    }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        var d = [Double](repeating: 0, count: node.count)
        for (k, x) in inputs.enumerated() {
            let v = x.data
            for (j, o) in offsets[k].enumerated() { d[o] = v[j] }
        }
        return Tensor(shape: node.shape, data: d)
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        for (k, x) in node.inputs.enumerated() where x.requiresGrad {
            Backward.accumulate(offsets[k].map { g[$0] }, local: [], into: x, outShape: x.shape, via: node, upstream: g, trace: trace)
        }
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        node.inputs.enumerated().map { k, x in x.requiresGrad ? Tensor.gather(g, offsets[k], shape: x.shape) : nil }
    }
}

extension Tensor {
    /// Joins same-shaped tensors along a new axis (`stack`) or an existing one (`concat`).
    public static func join(_ xs: [Tensor], axis: Int, newAxis: Bool, label: Label? = nil) throws -> Tensor {
        guard let first = xs.first else { throw TensorError.emptyJoin }
        var outShape: [Int]
        if newAxis {
            for x in xs where x.shape != first.shape { throw TensorError.shapeMismatch(op: "stack", a: first.shape, b: x.shape) }
            outShape = first.shape
            outShape.insert(xs.count, at: axis)
        } else {
            for x in xs {
                guard x.rank == first.rank,
                      x.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == first.shape[$0.offset] }) else {
                    throw TensorError.shapeMismatch(op: "concat", a: first.shape, b: x.shape)
                }
            }
            outShape = first.shape
            outShape[axis] = xs.reduce(0) { $0 + $1.shape[axis] }
        }
        try Limits.count(outShape)
        let outer = outShape[..<axis].reduce(1, *)
        let inner = outShape[(axis + 1)...].reduce(1, *)
        var data = [Double](repeating: 0, count: outShape.reduce(1, *))
        var offsets: [[Int]] = []
        offsets.reserveCapacity(xs.count)
        var start = 0  // position along the axis
        for x in xs {
            let len = newAxis ? 1 : x.shape[axis]
            let xd = x.data
            var o = [Int](repeating: 0, count: xd.count)
            var j = 0
            for p in 0..<outer {
                for q in 0..<len {
                    let base = (p * outShape[axis] + start + q) * inner
                    for r in 0..<inner {
                        o[j] = base + r
                        data[base + r] = xd[j]
                        j += 1
                    }
                }
            }
            offsets.append(o)
            start += len
        }
        let t = Tensor(shape: outShape, data: data)
        let rest = Array(xs.dropFirst(2))
        Engine.record(t, JoinOperation(offsets, extra: rest), xs[0], xs.count > 1 ? xs[1] : nil, extra: rest, label: label)
        return t
    }
}
