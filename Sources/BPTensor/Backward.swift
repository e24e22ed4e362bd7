/// Reverse-mode differentiation: an iterative topological sort and one reversed loop.
public enum Backward {
    /// Every tensor that `root` depends on, inputs before the nodes that use them.
    /// Reversed, it lists the nodes from the output back, left operands first.
    /// Iterative, so chains millions deep do not overflow the stack.
    public static func topologicalOrder(_ root: Tensor) -> [Tensor] {
        // Iterative post-order DFS. A node is marked when it is expanded, not when it is
        // pushed: a node pushed by one parent and reached again by a deeper path must still
        // come after everything on that path (marking on push put `z` before `exp(z)` in
        // `z - log(sum(exp(z)))` and lost a path's gradient).
        let mark = Graph.nextMark()
        var order: [Tensor] = []
        var stack: [(Tensor, Bool)] = [(root, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            if t.mark == mark { continue }
            t.mark = mark
            stack.append((t, true))
            if let r = t.record {
                // the right operand is visited first, so the reversed order (the backward
                // pass) treats left operands first: f, (a + b), a, (b + c), b, c
                if r.a.mark != mark, r.a.requiresGrad { stack.append((r.a, false)) }
                if let b = r.b, b.mark != mark, b.requiresGrad { stack.append((b, false)) }
                for x in r.rest where x.mark != mark && x.requiresGrad { stack.append((x, false)) }
            }
        }
        return order
    }

    /// One gradient change made by `accumulate: true` on a tensor that already held one.
    public struct Accumulation {
        public let tensor: Tensor
        public let before: [Double]
    }

    /// One step of the backward pass, reported to `trace` in execution order.
    public struct Step {
        public let target: Tensor
        public let before: [Double]
        public let added: [Double]
        public let local: [Double]
        public let upstream: [Double]
        public let via: Tensor
    }

    /// Runs backward from `root`: zeroes (or, with `accumulate`, keeps) every gradient in the
    /// graph, then propagates d(root)/d(root) = seed back, summing over all paths.
    /// Returns the graph in topological order and the gradients accumulation added to.
    @discardableResult
    public static func run(_ root: Tensor, seed: [Double]? = nil, accumulate: Bool = false,
                           trace: ((Step) -> Void)? = nil) throws -> (order: [Tensor], accumulated: [Accumulation]) {
        if let seed {
            if seed.count != root.count { throw TensorError.seedShape(expected: root.shape, found: [seed.count]) }
        } else if root.count != 1 {
            throw TensorError.notScalar(shape: root.shape)
        }
        let order = topologicalOrder(root)
        // Check before touching any gradient: an error leaves every gradient as it was.
        for t in order {
            if let changed = t.record?.changedInput() {
                throw TensorError.changedInPlace(name: changed.label, usedBy: t.label)
            }
        }
        // Propagation always starts from zero; with `accumulate` the old gradients are
        // added back afterwards, so upstream values are never counted twice.
        var accumulated: [Accumulation] = []
        // the gradients as they were (kept by reference, no copy): Ctrl-C during the pass
        // puts them back, so no gradient is left half-computed
        var saved: [[Double]?] = []
        saved.reserveCapacity(order.count)
        for t in order {
            if accumulate, let g = t.grad, g.count == t.count, g.contains(where: { $0 != 0 }) {
                accumulated.append(Accumulation(tensor: t, before: g))
            }
            saved.append(t.grad)
            t.grad = [Double](repeating: 0, count: t.count)
        }
        let s = seed ?? [1]
        for i in 0..<root.count { root.grad![i] += s[i] }
        do {
            var work = 0
            for t in order.reversed() {
                guard let r = t.record, let g = t.grad else { continue }
                work += g.count + (r.op.isMatmul ? r.a.count + (r.b?.count ?? 0) : 0)
                if work >= Engine.pollInterval {
                    work = 0
                    try Engine.poll()
                }
                try propagate(r, out: t, g: g, trace: trace)
            }
        } catch {
            for (t, g) in zip(order, saved) { t.grad = g }
            throw error
        }
        for acc in accumulated {
            for i in 0..<acc.before.count { acc.tensor.grad![i] += acc.before[i] }
        }
        return (order, accumulated)
    }

    static func propagate(_ r: Record, out: Tensor, g: [Double], trace: ((Step) -> Void)?) throws {
        switch r.op {
        case .unary(let op):
            let x = r.a
            guard x.requiresGrad else { return }
            var add = [Double](repeating: 0, count: g.count)
            var local = add
            for i in 0..<g.count {
                local[i] = op.derivative(x: x.data[i], y: out.data[i])
                add[i] = g[i] * local[i]
            }
            apply(add, local: local, to: x, outShape: out.shape, via: out, upstream: g, trace: trace)
        case .binary(let op):
            let a = r.a, b = r.b!
            let n = g.count
            var ga = [Double](repeating: 0, count: n), gb = ga
            var la = ga, lb = ga
            if a.shape == b.shape {
                for i in 0..<n {
                    let (da, db) = op.derivatives(a.data[i], b.data[i], out.data[i])
                    la[i] = da; lb[i] = db
                }
            } else if Broadcast.isSuffix(a.shape, of: out.shape) && Broadcast.isSuffix(b.shape, of: out.shape) {
                let ma = a.count, mb = b.count
                for i in 0..<n {
                    let (da, db) = op.derivatives(a.data[i % ma], b.data[i % mb], out.data[i])
                    la[i] = da; lb[i] = db
                }
            } else {
                let oa = a.count == n ? Array(0..<n) : Broadcast.offsets(of: a.shape, in: out.shape)
                let ob = b.count == n ? Array(0..<n) : Broadcast.offsets(of: b.shape, in: out.shape)
                for i in 0..<n {
                    let (da, db) = op.derivatives(a.data[oa[i]], b.data[ob[i]], out.data[i])
                    la[i] = da; lb[i] = db
                }
            }
            for i in 0..<n { ga[i] = g[i] * la[i]; gb[i] = g[i] * lb[i] }
            if a.requiresGrad { apply(ga, local: la, to: a, outShape: out.shape, via: out, upstream: g, trace: trace) }
            if b.requiresGrad { apply(gb, local: lb, to: b, outShape: out.shape, via: out, upstream: g, trace: trace) }
        case .sumTo(let map):
            var g1 = [Double](repeating: 0, count: r.a.count)
            for (i, o) in map.offsets.enumerated() { g1[i] = g[o] }
            add(g1, to: r.a, outShape: r.a.shape, via: out, upstream: g, trace: trace)
        case .matmul:
            let (ga, gb) = try Tensor.matmulGradients(r.a, r.b!, g)
            add(ga, to: r.a, outShape: r.a.shape, via: out, upstream: g, trace: trace)
            add(gb, to: r.b!, outShape: r.b!.shape, via: out, upstream: g, trace: trace)
        case .join(let plan):
            for (k, x) in r.inputs.enumerated() where x.requiresGrad {
                add(plan.offsets[k].map { g[$0] }, to: x, outShape: x.shape, via: out, upstream: g, trace: trace)
            }
        case .select(let mask):
            let n = g.count
            let om = mask.count == n ? Array(0..<n) : Broadcast.offsets(of: mask.shape, in: out.shape)
            var ga = [Double](repeating: 0, count: n), gb = ga
            for i in 0..<n { if mask.data[om[i]] != 0 { ga[i] = g[i] } else { gb[i] = g[i] } }
            add(ga, to: r.a, outShape: out.shape, via: out, upstream: g, trace: trace)
            add(gb, to: r.b!, outShape: out.shape, via: out, upstream: g, trace: trace)
        case .gather(let sel):
            let x = r.a
            guard x.requiresGrad else { return }
            let before = trace == nil ? [] : (x.grad ?? [])
            for (i, o) in sel.offsets.enumerated() { x.grad![o] += g[i] }
            if let trace {
                var added = [Double](repeating: 0, count: x.count)
                for (i, o) in sel.offsets.enumerated() { added[o] += g[i] }
                trace(Step(target: x, before: before, added: added, local: [1], upstream: g, via: out))
            }
        }
    }

    static func add(_ g: [Double], to t: Tensor, outShape: [Int], via: Tensor, upstream: [Double], trace: ((Step) -> Void)?) {
        guard t.requiresGrad else { return }
        apply(g, local: [], to: t, outShape: outShape, via: via, upstream: upstream, trace: trace)
    }

    private static func apply(_ add: [Double], local: [Double], to t: Tensor, outShape: [Int], via: Tensor,
                              upstream: [Double], trace: ((Step) -> Void)?) {
        let before = trace == nil ? [] : (t.grad ?? [])
        add.withUnsafeBufferPointer { g in
            Broadcast.accumulate(g, outShape: outShape, to: t.shape, into: &t.grad!)
        }
        if let trace {
            trace(Step(target: t, before: before, added: add, local: local, upstream: upstream, via: via))
        }
    }
}
