import CKernels

/// Reverse-mode differentiation: an iterative topological sort and one reversed loop.
public enum Backward {
    /// Every tensor that `root` depends on through tensors that require a gradient, inputs
    /// before the nodes that use them. Reversed, it lists the nodes from the output back,
    /// left operands first. Iterative (chains millions deep do not overflow the stack), and
    /// lean: one stack of references, the walk's state kept in each tensor's `mark` and
    /// cleared at the end.
    public static func topologicalOrder(_ root: Tensor) -> [Tensor] {
        let order = walk(root)
        return order.map { u in
            let t = u.takeUnretainedValue()
            t.mark = 0
            return t
        }
    }

    /// The walk itself, holding no references: every tensor in it is kept alive by root's
    /// graph, which nothing changes while the caller uses the order (a retain and a release
    /// a node cost a third of a backward pass on a long chain: each touches a node that is
    /// no longer in the cache). The caller sets every `mark` back to 0.
    static func walk(_ root: Tensor) -> [Unmanaged<Tensor>] {
        // A node is expanded (mark 1) when it first reaches the top of the stack, and emitted
        // (mark 2) when it reaches the top again, after everything pushed above it: a node
        // pushed by one parent and reached again by a deeper path still comes after
        // everything on that path (emitting on push put `z` before `exp(z)` in
        // `z - log(sum(exp(z)))` and lost a path's gradient).
        var order: [Unmanaged<Tensor>] = []
        var stack: [Unmanaged<Tensor>] = [Unmanaged.passUnretained(root)]
        // a chain's length is its depth: reserve once instead of doubling
        let guess = Int(root.depth) + 1
        order.reserveCapacity(guess)
        stack.reserveCapacity(Swift.min(guess, 1 << 16))
        @inline(__always) func push(_ x: Tensor?) {
            if let x, x.mark == 0, x.requiresGrad { stack.append(Unmanaged.passUnretained(x)) }
        }
        while let top = stack.last {
            top._withUnsafeGuaranteedRef { t in
                switch t.mark {
                case 0:
                    t.mark = 1
                    // the right operand is pushed last and so visited first: the reversed
                    // order (the backward pass) treats left operands first: f, (a + b), a, (b + c), b, c
                    if let op = t.op {
                        push(t.a)
                        push(t.b)
                        if op.hasExtraInputs { for x in op.extraInputs { push(x) } }
                    }
                case 1:
                    stack.removeLast()
                    t.mark = 2
                    order.append(top)
                default:
                    stack.removeLast()  // already emitted through another path
                }
            }
        }
        return order
    }

    /// One gradient change made by `accumulate: true` on a tensor that already held one.
    public struct Accumulation {
        public let tensor: Tensor
        public let before: [Double]
    }

    /// One step of the backward pass, reported to a tracer in execution order.
    public struct Step {
        public let target: Tensor
        public let before: [Double]
        public let added: [Double]
        public let local: [Double]
        public let upstream: [Double]
        public let via: Tensor
    }
    public typealias Tracer = (Step) -> Void

    /// Runs backward from `root`: zeroes (or, with `accumulate`, keeps) every gradient in the
    /// graph, then propagates d(root)/d(root) = seed back, summing over all paths.
    /// Returns the graph in topological order and the gradients accumulation added to.
    @discardableResult
    public static func run(_ root: Tensor, seed: [Double]? = nil, accumulate: Bool = false,
                           trace: Tracer? = nil) throws -> (leaves: [Tensor], accumulated: [Accumulation]) {
        if let seed {
            if seed.count != root.count { throw TensorError.seedShape(expected: root.shape, found: [seed.count]) }
        } else if root.count != 1 {
            throw TensorError.notScalar(shape: root.shape)
        }
        let walked = walk(root)
        // the walk holds no references; root keeps every node of it alive until we return
        return try withExtendedLifetime(root) {
            try propagate(root, walked, seed: seed, accumulate: accumulate, trace: trace)
        }
    }

    private static func propagate(_ root: Tensor, _ order: [Unmanaged<Tensor>], seed: [Double]?, accumulate: Bool,
                                  trace: Tracer?) throws -> (leaves: [Tensor], accumulated: [Accumulation]) {
        // Propagation always starts from zero; with `accumulate` the old gradients are
        // added back afterwards, so upstream values are never counted twice.
        var accumulated: [Accumulation] = []
        // the gradients as they were: an error or Ctrl-C puts them back, so no gradient is
        // left half-computed (inline numbers keep theirs in `numbers`, 8 bytes a node)
        var numbers: [Double] = []
        var had: [Bool] = []
        var arrays: [[Double]?] = []
        numbers.reserveCapacity(order.count)
        had.reserveCapacity(order.count)
        var leaves: [Tensor] = []
        func restore(upTo end: Int) {
            var n = 0, k = 0
            for u in order[..<end] {
                let t = u.takeUnretainedValue()
                if t.isInline {
                    t.grad0 = numbers[n]
                    if !had[n] { t.flags.remove(.hasGrad) }
                    n += 1
                } else {
                    t.grad = arrays[k]
                    k += 1
                }
            }
        }
        // one pass over the graph (it does not fit in the cache): clear the walk's mark,
        // check, save, zero
        for (index, u) in order.enumerated() {
            let t = u.takeUnretainedValue()
            t.mark = 0
            if let changed = t.changedInput() {
                for v in order[index...] { v.takeUnretainedValue().mark = 0 }
                restore(upTo: index)
                throw TensorError.changedInPlace(name: changed.labelText, usedBy: t.labelText)
            }
            if accumulate, let g = t.grad, g.count == t.count, g.contains(where: { $0 != 0 }) {
                accumulated.append(Accumulation(tensor: t, before: g))
            }
            if t.kind == .leaf { leaves.append(t) }
            if t.isInline {
                numbers.append(t.grad0)
                had.append(t.flags.contains(.hasGrad))
            } else {
                arrays.append(t.grad)
            }
            // without a tracer (which reports each gradient before a step), an array gradient
            // starts as nil and its first contribution is written as 0 + g, as if added to
            // zeros: the same numbers without zero-filling every node's array first (a third
            // of the memset of a spiral epoch with backward)
            if trace == nil && !t.isInline {
                t.storage!.grad = nil
                t.storage!.gradNode = nil
            } else {
                t.zeroGrad()
            }
        }
        let s = seed ?? [1]
        if root.isInline {
            root.grad0 += s[0]
        } else if root.storage!.grad == nil {
            root.storage!.grad = firstContribution(s)
        } else {
            for i in 0..<root.count { root.grad![i] += s[i] }
        }
        do {
            var work = 0
            for u in order.reversed() {
                try u._withUnsafeGuaranteedRef { t in
                    guard let op = t.op else { return }
                    if t.isInline {
                        work += 1
                        if trace == nil && op.backwardInline(t) {
                            if work >= Engine.pollInterval { work = 0; try Engine.poll() }
                            return
                        }
                    }
                    let g = t.grad ?? zeros(t.count)
                    work += g.count + (op is MatmulOperation ? t.a!.count + t.b!.count : 0)
                    if work >= Engine.pollInterval {
                        work = 0
                        try Engine.poll()
                    }
                    try op.backward(t, g, trace)
                }
            }
        } catch {
            restore(upTo: order.count)
            throw error
        }
        if trace == nil {
            // a tensor no path reached has a zero gradient, as before
            for u in order {
                u._withUnsafeGuaranteedRef { t in
                    if let st = t.storage, st.grad == nil { st.grad = zeros(st.count) }
                }
            }
        }
        for acc in accumulated {
            for i in 0..<acc.before.count { acc.tensor.grad![i] += acc.before[i] }
        }
        // leaves in the order of the graph's inputs: reversed, the order backward reads them
        return (leaves, accumulated)
    }

    /// Adds `add` (a gradient of `outShape`, summed back to the target's shape when it was
    /// broadcast) to `t`'s gradient and reports the step to the tracer.
    /// `free` says `add` holds no -0 (a node's own gradient passed on: a gradient begins
    /// with +0 or a checked first contribution, and a sum is -0 only when both terms are).
    static func accumulate(_ add: [Double], local: [Double], into t: Tensor, outShape: [Int], via: Tensor,
                           upstream: [Double], trace: Tracer?, noNegativeZero free: Bool = false) {
        guard t.requiresGrad else { return }
        let before = trace == nil ? [] : (t.grad ?? [])
        if t.isInline {
            var s = 0.0
            for v in add { s += v }
            t.grad0 += s
        } else {
            let st = t.storage!
            if st.grad == nil && st.shape == outShape {
                // 0 + g is g itself unless g holds a -0: then the array is shared, not copied
                // (a later contribution copies it when it is still shared)
                let negativeZero = !free && add.withUnsafeBufferPointer { bp_has_negative_zero($0.baseAddress, $0.count) != 0 }
                st.grad = negativeZero ? firstContribution(add) : add
            } else {
                if st.grad == nil { st.grad = zeros(st.count) }
                add.withUnsafeBufferPointer { g in
                    Broadcast.accumulate(g, outShape: outShape, to: st.shape, into: &st.grad!)
                }
            }
        }
        if let trace {
            trace(Step(target: t, before: before, added: add, local: local, upstream: upstream, via: via))
        }
    }

    /// 0 + g for each element: what adding g to a zeroed gradient gives (-0 becomes 0).
    static func firstContribution(_ g: [Double]) -> [Double] {
        g.withUnsafeBufferPointer { src in
            makeBuffer(src.count) { dst in
                addInto(dst, src.baseAddress!, src.count, fresh: true)
            }
        }
    }

    /// `backward(f, create_graph=true)`: every gradient of the graph computed with recorded
    /// operations; each node's `.grad` holds the values and `gradNode` the gradient as a node
    /// (which can be differentiated again). A later `backward` replaces both. A gradient node
    /// may use the node it belongs to (d exp(x)/dx = exp(x)): as in PyTorch, that is a cycle
    /// that lives until the next backward through it.
    @discardableResult
    public static func runCreatingGraph(_ root: Tensor, seed: Tensor? = nil) throws -> [Tensor] {
        let order = topologicalOrder(root)
        let grads = try gradients(root, order, seed: seed, createGraph: true)
        for (t, g) in zip(order, grads) {
            t.grad = g.data
            t.gradNode = g
        }
        return order
    }

    /// dy/dx for each of `xs` (zeros for one y does not depend on), leaving every `.grad` as
    /// it was. With `createGraph` the gradients are computed with recorded operations, as
    /// graph nodes that can be differentiated again (PyTorch's `create_graph`); without, as
    /// numbers by the fast pass.
    public static func gradients(_ y: Tensor, _ xs: [Tensor], seed: Tensor? = nil, createGraph: Bool) throws -> [Tensor] {
        let order = topologicalOrder(y)
        if !createGraph {
            let saved = order.map(\.grad)
            defer { for (t, g) in zip(order, saved) { t.grad = g } }
            try run(y, seed: seed?.data)
            let inGraph = Set(order.map(ObjectIdentifier.init))
            return xs.map { x in
                let g = inGraph.contains(ObjectIdentifier(x)) ? x.grad : nil
                return Tensor(shape: x.shape, data: g ?? [Double](repeating: 0, count: x.count))
            }
        }
        if seed == nil && y.count != 1 { throw TensorError.notScalar(shape: y.shape) }
        for t in order {
            if let changed = t.changedInput() {
                throw TensorError.changedInPlace(name: changed.labelText, usedBy: t.labelText)
            }
        }
        return try Engine.current.withGrad(true) {
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(y): seed ?? Tensor(shape: y.shape, data: [Double](repeating: 1, count: y.count))]
            for t in order.reversed() {
                guard let op = t.op, let g = grads[ObjectIdentifier(t)] else { continue }
                try Engine.poll()
                for (x, part) in zip(t.inputs, try op.vjp(t, g)) {
                    guard let part, x.requiresGrad else { continue }
                    let id = ObjectIdentifier(x)
                    grads[id] = try grads[id].map { try Tensor.binary(.add, $0, part) } ?? part
                }
            }
            return xs.map { x in grads[ObjectIdentifier(x)] ?? Tensor(shape: x.shape, data: [Double](repeating: 0, count: x.count)) }
        }
    }
}
