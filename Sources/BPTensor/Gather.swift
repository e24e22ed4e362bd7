import CKernels

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

/// `out[map[i]] += x[i]`: sums over axes; its gradient gathers back. A sum over axes keeps
/// the shapes and builds the map only if a graph walk asks for it (the forward pass of
/// `sum(dz1, axis=0)` runs without it).
final class ScatterOperation: Operation {
    private var given: [Int]?
    /// For a sum over axes: the input's shape, and the same with the summed axes as 1.
    private let inShape: [Int], kept: [Int]
    init(_ map: [Int]) { given = map; inShape = []; kept = [] }
    init(shape: [Int], kept: [Int]) { inShape = shape; self.kept = kept }

    var map: [Int] {
        if let given { return given }
        let m = Tensor.reductionMap(inShape, kept: kept)
        given = m
        return m
    }

    override var symbol: String { "sum" }
    override var rule: String { "d sum(x)/dx = 1 for every element summed" }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        Tensor.scatter(inputs[0], map, shape: node.shape)
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        let added = given == nil ? Broadcast.expand(Tensor(shape: kept, data: g), to: inShape) : map.map { g[$0] }
        Backward.accumulate(added, local: [1], into: x, outShape: x.shape, via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        [Tensor.gather(g, map, shape: node.a!.shape)]
    }
}

/// A matrix transposed (`x.T` of a 2-d tensor): a direct loop, where the general
/// permutation gathers through an array of offsets (`a1.T` of (300, 20): 10 µs, 6,000
/// offsets made and read). Shown and explained as the gather it replaces.
final class TransposeOperation: Operation, @unchecked Sendable {  // immutable: shared by every thread
    static let shared = Operation.sharedInstance(TransposeOperation())

    override var symbol: String { "index" }
    override var rule: String { "d x[i]/dx = 1 at each selected element, 0 elsewhere" }

    override func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor {
        Tensor.transposeMatrix(inputs[0])
    }

    override func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws {
        let x = node.a!
        guard x.requiresGrad else { return }
        let added = Tensor.transposed(g, node.shape[0], node.shape[1])
        Backward.accumulate(added, local: [1], into: x, outShape: x.shape, via: node, upstream: g, trace: trace)
    }

    override func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] {
        [Tensor.permute(g, [1, 0])]
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
        if perm.count == 2 && perm[0] == 1 && perm[1] == 0 { return transposeMatrix(x, label: label) }
        let shape = perm.map { x.shape[$0] }
        let inStrides = strides(x.shape)
        let offsets = Broadcast.offsets(steps: perm.map { inStrides[$0] }, over: shape)
        return gather(x, offsets, shape: shape, label: label)
    }

    /// `x.T` of a matrix (x of rank 2): the transpose, written out only when read.
    public static func transposeMatrix(_ x: Tensor, label: Label? = nil) -> Tensor {
        let (n, m) = (x.storage!.shape[0], x.storage!.shape[1])
        let t: Tensor
        // a dead tensor of as many elements, kept by the pool, made the transpose (three
        // allocations a transpose otherwise: the tensor, its storage and its shape)
        if let kept = StoragePool.reusedTensor(n * m) {
            kept.storage!.becomeTranspose(of: x.storage!, n, m)
            t = kept
        } else {
            t = Tensor(transposeOf: x.storage!.data, n, m)
        }
        Engine.record(t, TransposeOperation.shared, x, label: label)
        return t
    }

    /// Sums over the given axes (all when nil), keeping them as size 1 with `keepdims`.
    public static func sum(_ x: Tensor, axes: [Int]?, keepdims: Bool = false, label: Label? = nil) -> Tensor {
        let shape = x.shape
        let all = axes ?? Array(0..<shape.count)
        let (kept, outShape) = reductionShapes(shape, axes: all, keepdims: keepdims)
        // a matrix's rows or columns, or everything: direct loops adding in the order the
        // map's scatter did (row after row), so the same bits (`sum(dz1, axis=0)` on
        // (300, 20): 11.7 µs through the map)
        let t: Tensor
        let result = { (count: Int, body: (UnsafeMutablePointer<Double>) -> Void) -> Tensor in
            make(count, shape: { if !Tensor.sameShape($0, outShape) { $0 = outShape } }, body)
        }
        if kept.allSatisfy({ $0 == 1 }) {
            if x.isInline {
                t = Tensor(shape: outShape, data: [0 + x.value0])
            } else {
                let p = x.elements, n = x.storage!.count
                t = result(1) { o in
                    var s = 0.0
                    for i in 0..<n { s += p[i] }
                    o[0] = s
                }
            }
        } else if shape.count == 2 && all == [0] {
            let (n, m) = (shape[0], shape[1])
            let p = x.elements
            t = result(m) { o in bp_sum_rows(p, o, n, m) }
        } else if shape.count == 2 && all == [1] {
            let (n, m) = (shape[0], shape[1])
            let p = x.elements
            t = result(n) { o in
                for i in 0..<n {
                    var s = 0.0
                    for j in 0..<m { s += p[i * m + j] }
                    o[i] = s
                }
            }
        } else {
            return scatter(x, Broadcast.offsets(of: kept, in: shape), shape: outShape, label: label)
        }
        Engine.record(t, ScatterOperation(shape: shape, kept: kept), x, label: label)
        return t
    }

    /// A row-major (n, m) matrix's transpose (`CKernels`: 4×4 blocks with AVX2 where the
    /// CPU has it, bands of 8 rows otherwise).
    static func transposed(_ d: [Double], _ n: Int, _ m: Int) -> [Double] {
        d.withUnsafeBufferPointer { xb in
            makeBuffer(n * m) { o in bp_transpose(xb.baseAddress!, o, n, m) }
        }
    }

    /// For a reduction over `axes`: the shape with reduced axes kept as 1, the result's
    /// shape, and for each input element the output element it goes to.
    static func reduction(_ shape: [Int], axes: [Int]?, keepdims: Bool) -> (kept: [Int], out: [Int], map: [Int]) {
        let (kept, outShape) = reductionShapes(shape, axes: axes ?? Array(0..<shape.count), keepdims: keepdims)
        return (kept, outShape, reductionMap(shape, kept: kept))
    }

    /// The shape with the reduced axes kept as 1, and the result's shape.
    static func reductionShapes(_ shape: [Int], axes: [Int], keepdims: Bool) -> (kept: [Int], out: [Int]) {
        var kept = shape
        for a in axes { kept[a] = 1 }
        return (kept, keepdims ? kept : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
    }

    /// For each element of `shape`, the element of the reduced shape `kept` it goes to.
    static func reductionMap(_ shape: [Int], kept: [Int]) -> [Int] {
        kept.allSatisfy({ $0 == 1 }) ? [Int](repeating: 0, count: shape.reduce(1, *)) : Broadcast.offsets(of: kept, in: shape)
    }

    /// A gradient of a broadcast result summed back to an operand's `shape`.
    public static func sumTo(_ g: Tensor, _ shape: [Int]) throws -> Tensor {
        if g.shape == shape { return g }
        return scatter(g, Broadcast.offsets(of: shape, in: g.shape), shape: shape)
    }
}
