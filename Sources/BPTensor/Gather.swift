/// Selecting elements (indexing, slicing, reshaping, transposing) and summing them (`sum`,
/// and the gradient of a broadcast operand): each is the other's adjoint.

/// `out[i] = x[offsets[i]]`: its gradient scatters back with `+=`.
final class GatherOperation: Operation {
    let offsets: [Int]
    init(_ offsets: [Int]) { self.offsets = offsets }

    override var symbol: String { "index" }
    override var rule: String { "d x[i]/dx = 1 at each selected element, 0 elsewhere" }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        Tensor.gather(inputs[0], offsets, shape: node.shape)
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        var added = [Double](repeating: 0, count: x.count)
        for (i, o) in offsets.enumerated() { added[o] += g[i] }
        Backward.accumulate(added, local: [1], into: x, outShape: x.shape, via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        [Tensor.scatter(g, offsets, shape: node.a!.shape)]
    }
}

/// `out[map[i]] += x[i]`: sums over axes; its gradient gathers back.
final class ScatterOperation: Operation {
    let map: [Int]
    init(_ map: [Int]) { self.map = map }

    override var symbol: String { "sum" }
    override var rule: String { "d sum(x)/dx = 1 for every element summed" }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        Tensor.scatter(inputs[0], map, shape: node.shape)
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        Backward.accumulate(map.map { g[$0] }, local: [1], into: x, outShape: x.shape, via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        [Tensor.gather(g, map, shape: node.a!.shape)]
    }
}

/// Row-major strides of a shape.
public func strides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var k = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) { s[d] = k; k *= shape[d] }
    return s
}

extension Tensor {
    /// The elements at `offsets`, as a tensor of `shape`.
    public static func gather(_ x: Tensor, _ offsets: [Int], shape: [Int], label: Label? = nil) -> Tensor {
        let d = x.data
        let t = Tensor(shape: shape, data: offsets.map { d[$0] })
        Engine.record(t, GatherOperation(offsets), x, label: label)
        return t
    }

    /// A tensor of `shape` whose element `map[i]` is the sum of the `x[i]` mapped to it.
    public static func scatter(_ x: Tensor, _ map: [Int], shape: [Int], label: Label? = nil) -> Tensor {
        var out = [Double](repeating: 0, count: shape.reduce(1, *))
        let d = x.data
        for i in 0..<d.count { out[map[i]] += d[i] }
        let t = Tensor(shape: shape, data: out)
        Engine.record(t, ScatterOperation(map), x, label: label)
        return t
    }

    /// The same values with another shape.
    public static func reshape(_ x: Tensor, _ shape: [Int], label: Label? = nil) -> Tensor {
        if !x.requiresGrad || !Engine.current.gradEnabled {
            return Tensor(shape: shape, data: x.data)
        }
        return gather(x, Array(0..<x.count), shape: shape, label: label)
    }

    /// Permutes the axes (`perm[i]` is the input axis that becomes output axis i).
    public static func permute(_ x: Tensor, _ perm: [Int], label: Label? = nil) -> Tensor {
        let shape = perm.map { x.shape[$0] }
        let inStrides = strides(x.shape)
        let offsets = Broadcast.offsets(steps: perm.map { inStrides[$0] }, over: shape)
        return gather(x, offsets, shape: shape, label: label)
    }

    /// Sums over the given axes (all when nil), keeping them as size 1 with `keepdims`.
    public static func sum(_ x: Tensor, axes: [Int]?, keepdims: Bool = false, label: Label? = nil) -> Tensor {
        let (kept, outShape, map) = reduction(x.shape, axes: axes, keepdims: keepdims)
        _ = kept
        return scatter(x, map, shape: outShape, label: label)
    }

    /// For a reduction over `axes`: the shape with reduced axes kept as 1, the result's
    /// shape, and for each input element the output element it goes to.
    static func reduction(_ shape: [Int], axes: [Int]?, keepdims: Bool) -> (kept: [Int], out: [Int], map: [Int]) {
        let all = axes ?? Array(0..<shape.count)
        var kept = shape
        for a in all { kept[a] = 1 }
        let outShape = keepdims ? kept : shape.enumerated().filter { !all.contains($0.offset) }.map(\.element)
        let n = shape.reduce(1, *)
        let map = all.count == shape.count ? [Int](repeating: 0, count: n) : Broadcast.offsets(of: kept, in: shape)
        return (kept, outShape, map)
    }

    /// A gradient of a broadcast result summed back to an operand's `shape`.
    public static func sumTo(_ g: Tensor, _ shape: [Int]) throws -> Tensor {
        if g.shape == shape { return g }
        return scatter(g, Broadcast.offsets(of: shape, in: g.shape), shape: shape)
    }
}
