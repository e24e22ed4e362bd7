import BPTensor

/// `check(f, a=5, b=7, ...)`: the homework checker. Each hand-computed gradient is compared
/// with backward's (shape first, then values within gradcheck's tolerance). For a wrong one
/// it looks for the slip that explains the hand answer: each typical mistake is tried at each
/// place of the graph, walking back from f, by changing that one step of the backward pass and
/// carrying the change down to the answer's node (backward is linear: the change at node m
/// reaches x as the gradient of m with respect to x, seeded with the change). The first place
/// where a slip reproduces the hand answer is named, with the rule that applies there.
struct Check {
    /// One hand answer: d f / d node = hand.
    struct Answer {
        let name: String
        let node: Tensor
        let hand: Tensor
    }

    /// A typical slip at one place of the graph.
    struct Slip {
        /// Where it happens: the node whose gradient goes wrong first.
        let at: Tensor
        /// The first wrong step and the rule there, as lines.
        let place: [String]
        /// What the student probably did.
        let cause: String
        /// The change it makes to the gradient of `at`.
        let change: [Double]
    }

    let e: Explain
    let answers: [Answer]
    /// backward's gradient for each answer.
    let truths: [[Double]]
    /// At most this many slips are tried for one answer (each costs a backward pass; fewer
    /// in a graph so large that these would take seconds).
    static let tries = 2000

    /// Unary functions whose derivative a student may leave out: "sigmoid's derivative".
    static let functions: Set<String> = ["exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sigmoid",
                                         "relu", "softplus", "leaky_relu"]

    init(_ e: Explain, _ given: [(String, Value)], function: String) throws {
        self.e = e
        if given.isEmpty {
            throw BPError.runtime("\(function)() needs your gradients as keyword arguments, one for each variable: \(function)(f, a=5, b=7)")
        }
        var byName: [String: Tensor] = [:]
        for t in e.order { if let n = e.names[ObjectIdentifier(t)], byName[n] == nil { byName[n] = t } }
        var answers: [Answer] = []
        for (name, value) in given {
            guard let node = byName[name], node !== e.root else {
                let names = e.order.compactMap { e.names[ObjectIdentifier($0)] }.filter { $0 != e.name(e.root) }
                throw BPError.runtime("\(function)(): \(e.name(e.root)) has no variable '\(name)' in its graph"
                                      + Suggest.didYouMean(name, names) + " (its variables: \(names.prefix(12).joined(separator: ", "))\(names.count > 12 ? ", ..." : ""))")
            }
            guard let hand = try Values.toTensor(value) else {
                throw BPError.runtime("\(function)(): the answer for '\(name)' must be a number or a tensor, found a \(describe(value))")
            }
            answers.append(Answer(name: name, node: node, hand: hand))
        }
        self.answers = answers
        truths = try Backward.gradients(e.root, answers.map(\.node), createGraph: false).map(\.data)
    }

    // MARK: verdicts

    static func sameShape(_ a: Tensor, _ b: Tensor) -> Bool { a.shape == b.shape || (a.count == 1 && b.count == 1) }

    func isRight(_ k: Int) -> Bool {
        Check.sameShape(answers[k].hand, answers[k].node) && Comparison.allClose(answers[k].hand.data, truths[k])
    }

    /// The whole report: one verdict per answer, a count at the end.
    func text() throws -> String {
        let f = e.name(e.root)
        var out = ""
        var wrong = 0
        for (k, a) in answers.enumerated() {
            let head = "d\(f)/d\(a.name) = \(show(a.hand.data, a.hand.shape))"
            if isRight(k) {
                out += "\(head)   right\n"
                continue
            }
            wrong += 1
            out += "\(head)   wrong: backward gives \(show(truths[k], a.node.shape))\n"
            if a.hand.shape == a.node.shape && a.node.count > Check.shownElements {
                let d = zip(a.hand.data, truths[k]).map { Swift.abs($0 - $1) }
                let at = d.indices.max(by: { d[$0] < d[$1] }) ?? 0
                out += "    largest difference \(e.formatter.number(d[at])) at \(Comparison.index(of: at, in: a.node.shape))\n"
            }
            for line in try diagnosis(k).flatMap({ $0.split(separator: "\n") }) { out += "    \(line)\n" }
        }
        if answers.count > 1 {
            out += wrong == 0 ? "all \(answers.count) right\n" : "\(wrong) of \(answers.count) wrong\n"
        }
        return out
    }

    /// Tensors of at most this many elements are shown in full on the verdict's line.
    static let shownElements = 12

    /// A number, a small tensor nested as NumPy writes it (`[[1, 2], [3, 4]]`), or a shape.
    func show(_ data: [Double], _ shape: [Int]) -> String {
        if data.count == 1 { return e.formatter.number(data[0]) }
        guard data.count <= Check.shownElements, !data.isEmpty else { return "a tensor of shape \(describeShape(shape))" }
        var k = 0
        func nest(_ d: Int) -> String {
            if d == shape.count {
                defer { k += 1 }
                return e.formatter.number(data[k])
            }
            return "[" + (0..<shape[d]).map { _ in nest(d + 1) }.joined(separator: ", ") + "]"
        }
        return nest(0)
    }

    // MARK: diagnosis

    /// Why answer k is wrong: the first wrong step, walking back from f, and the likely cause.
    func diagnosis(_ k: Int) throws -> [String] {
        let a = answers[k], truth = truths[k]
        let f = e.name(e.root)
        let dx = "d\(f)/d\(a.name)"
        if !Check.sameShape(a.hand, a.node) {
            var lines = ["wrong shape: your answer is \(describeShape(a.hand.shape)), \(a.name) is \(describeShape(a.node.shape)) and so is \(dx)"]
            if let t = Comparison.transposed(a.hand), t.shape == a.node.shape, Comparison.allClose(t.data, truth) {
                lines += transposedPlace(a)
                lines.append("likely cause: a transposed matrix: your answer is \(dx) transposed")
            } else {
                let c = Comparison(a: a.hand, b: Tensor(shape: a.node.shape, data: truth), nameA: "your answer", nameB: dx)
                lines.append("likely cause: \(c.likelyCause(e.formatter))")
            }
            return lines
        }
        // a wrong answer given for a node nearer f, carried down to this one
        for (m, other) in answers.enumerated() where m != k && !isRight(m) && depends(other.node, on: a.node) {
            let change = zip(other.hand.data, truths[m]).map { $0 - $1 }
            if Comparison.allClose(a.hand.data, try carried(change, from: other.node, to: a.node, truth)),
               try keepsRightAnswers(change, at: other.node) {
                return ["it follows from your d\(f)/d\(other.name), which is wrong (above): with that one right, this one would be right too"]
            }
        }
        if a.node.rank == 2 && a.node.shape[0] == a.node.shape[1], let t = Comparison.transposed(a.hand),
           Comparison.allClose(t.data, truth) {
            return transposedPlace(a) + ["likely cause: a transposed matrix: your answer is \(dx) transposed"]
        }
        // each try is a backward pass: a large graph gets fewer, nearest f first
        let budget = max(20, min(Check.tries, 20_000_000 / max(1, e.order.count)))
        var tried = 0
        for slip in slips(to: a.node) {
            tried += 1
            if tried > budget { break }
            if Comparison.allClose(a.hand.data, try carried(slip.change, from: slip.at, to: a.node, truth)),
               try keepsRightAnswers(slip.change, at: slip.at) {
                return ["first wrong step, walking back from \(f): " + slip.place[0]] + slip.place.dropFirst() + ["likely cause: \(slip.cause)"]
            }
        }
        var lines: [String] = []
        // the right answers given nearer f bound where the slip can be
        let above = answers.indices.filter { isRight($0) && depends(answers[$0].node, on: a.node) }
        if let list = e.stepsByTarget()[ObjectIdentifier(a.node)], !above.isEmpty {
            let names = above.map { "d\(f)/d\(answers[$0].name)" }.joined(separator: ", ")
            lines.append("your \(names) \(above.count == 1 ? "is" : "are") right, so the slip is below: d\(f)/d\(a.name) is formed as")
            lines += e.gradientLines(a.node, list).map { "  " + $0 }
        }
        lines.append("no single typical slip explains it; explain(\(f)) shows every step"
                     + (a.node.count == 1 ? ", explain(\(f), \(a.name)) every path" : "")
                     + (above.isEmpty ? ", and check(\(f), ...) with your intermediate gradients finds the first wrong one" : ""))
        if let c = Comparison.factor(a.hand.data, truth) {
            lines.append(Comparison.close(c, -1) ? "your answer is -1 times \(dx): a sign is flipped somewhere"
                         : "your answer is \(dx) times a constant: factor \(Comparison.describe(c, e.formatter))")
        }
        return lines
    }

    /// Whether a change of `change` to the gradient of `at` leaves every answer the student got
    /// right as it is: a slip above a right intermediate answer would have spoiled it too.
    func keepsRightAnswers(_ change: [Double], at: Tensor) throws -> Bool {
        for (m, other) in answers.enumerated() where isRight(m) && (other.node === at || depends(at, on: other.node)) {
            if !Comparison.allClose(try carried(change, from: at, to: other.node, truths[m]), truths[m]) { return false }
        }
        return true
    }

    /// Whether node `y` depends on `x` (x is y or below it).
    func depends(_ y: Tensor, on x: Tensor) -> Bool {
        if y === x { return false }
        return reach(x).contains(ObjectIdentifier(y))
    }

    /// Every node of the graph that depends on x, x included.
    func reach(_ x: Tensor) -> Set<ObjectIdentifier> {
        var set: Set<ObjectIdentifier> = [ObjectIdentifier(x)]
        for t in e.order where t.inputs.contains(where: { set.contains(ObjectIdentifier($0)) }) { set.insert(ObjectIdentifier(t)) }
        return set
    }

    /// The gradient of x when the gradient of m changes by `change` (all else as backward has it).
    func carried(_ change: [Double], from m: Tensor, to x: Tensor, _ truth: [Double]) throws -> [Double] {
        let delta: [Double]
        if m === x {
            delta = change
        } else {
            delta = try Backward.gradients(m, [x], seed: Tensor(shape: m.shape, data: change), createGraph: false)[0].data
        }
        return zip(truth, delta).map { $0 + $1 }
    }

    /// Where the gradient of x is formed by a matrix product, for a transposed answer.
    func transposedPlace(_ a: Answer) -> [String] {
        let f = e.name(e.root)
        guard let s = e.steps.first(where: { $0.target === a.node && $0.via.op?.symbol == "@" }) else { return [] }
        return ["first wrong step, walking back from \(f): d\(a.name) = \(e.matrixForm(s)), from \(e.name(s.via)) = \(forward(s.via))"]
    }

    /// `a * b` for a node: its forward expression with names.
    func forward(_ t: Tensor) -> String {
        Explain.expression(t, t.inputs.map(e.name), constant: e.formatter.number(t.constant))
    }

    /// Every typical slip on the way from f down to x, nearest f first.
    func slips(to x: Tensor) -> [Slip] {
        let reached = reach(x)
        let byTarget = e.stepsByTarget()
        var byVia: [ObjectIdentifier: [Backward.Step]] = [:]
        for s in e.steps { byVia[ObjectIdentifier(s.via), default: []].append(s) }
        var slips: [Slip] = []
        for n in e.backwardOrder where reached.contains(ObjectIdentifier(n)) {
            if let list = byTarget[ObjectIdentifier(n)], list.count > 1 { slips += pathSlips(n, list) }
            guard n !== x else { continue }
            let down = byVia[ObjectIdentifier(n)] ?? []
            for (s, rule) in zip(down, e.ruleParts(down)) where reached.contains(ObjectIdentifier(s.target)) {
                slips += edgeSlips(s, rule)
            }
        }
        return slips
    }

    /// The contribution of step s to its target's gradient (broadcasting undone).
    static func contribution(_ s: Backward.Step) -> [Double] {
        Explain.sumTo(s.added, from: s.via.shape, to: s.target.shape)
    }

    /// One path of several taken: n's gradient sums several and the answer keeps only some of
    /// them (every proper subset for up to `subsetLimit` paths, else each path alone).
    func pathSlips(_ n: Tensor, _ list: [Backward.Step]) -> [Slip] {
        let f = e.name(e.root), x = e.name(n)
        let parts = list.map(Check.contribution)
        let total = parts.dropFirst().reduce(parts[0]) { zip($0, $1).map { $0 + $1 } }
        let place = e.gradientLines(n, list)
        let names = pathNames(n, list)
        let subsets: [[Int]] = list.count <= Check.subsetLimit
            ? (1..<(1 << list.count) - 1).map { m in list.indices.filter { m & (1 << $0) != 0 } }
            : list.indices.map { [$0] }
        return subsets.sorted { $0.count < $1.count }.map { kept in
            let left = list.indices.filter { !kept.contains($0) }.map { j -> String in
                names[j] + (n.count == 1 ? ", worth \(e.formatter.number(parts[j][0]))" : "")
            }
            let cause = "one path of several taken: d\(f)/d\(x) sums \(list.count) paths, and your answer takes "
                + kept.map { names[$0] }.joined(separator: " and ") + " alone;\n  add " + left.joined(separator: " and ")
            let mine = kept.reduce([Double](repeating: 0, count: total.count)) { acc, j in zip(acc, parts[j]).map { $0 + $1 } }
            return Slip(at: n, place: ["d\(f)/d\(x), the sum of \(list.count) paths"] + place.map { "  " + $0 },
                        cause: cause, change: zip(mine, total).map { $0 - $1 })
        }
    }

    /// Paths are combined in every way up to this many at a node (2^n - 2 subsets).
    static let subsetLimit = 4

    /// Each path into n as a student reads it: `the path via t1 (a + b)`, `the direct edge from
    /// f`, and for a node that uses n twice (`a * a`) which operand: `... as its b`.
    func pathNames(_ n: Tensor, _ list: [Backward.Step]) -> [String] {
        var seen: [ObjectIdentifier: Int] = [:]
        return list.map { s in
            let via = s.via
            var text = via === e.root ? "the direct edge from \(e.name(via))"
                : "the path via \(e.name(via))" + (via.name == nil ? " (\(forward(via)))" : "")
            if via.a === n && via.b === n {
                let k = seen[ObjectIdentifier(via), default: 0]
                seen[ObjectIdentifier(via)] = k + 1
                text += k == 0 ? " as its a" : " as its b"
            }
            return text
        }
    }

    /// The slips one step of backward can carry: an activation's derivative left out, a
    /// constant factor left out (a `/ N`, a `0.5 *`, the power rule's exponent), a sign lost.
    func edgeSlips(_ s: Backward.Step, _ rule: String) -> [Slip] {
        let via = s.via, t = s.target
        guard let op = via.op else { return [] }
        let f = e.name(e.root)
        let c = Check.contribution(s)
        let dt = "d\(f)/d\(e.name(t))"
        let local = via.count == 1 && t.count == 1 ? "d\(e.name(via))/d\(e.name(t)) = \(e.formatter.number(s.local.first ?? 0))   by " : ""
        let place = ["\(dt), through \(e.name(via)) = \(forward(via))",
                     "rule there: \(local)\(rule) where \(e.operandNames(via))"]
        func slip(_ cause: String, _ wrong: [Double]) -> Slip {
            Slip(at: t, place: place, cause: cause, change: zip(wrong, c).map { $0 - $1 })
        }
        var slips: [Slip] = []
        let sym = op.symbol
        let k = via.constant
        if Check.functions.contains(sym) && via.inputs.count == 1 && op.constantIsLeft == nil {
            // the upstream gradient passed straight through, as if the derivative were 1
            slips.append(slip("\(sym)'s derivative left out: your answer is what backward gives with d\(e.name(via))/d\(e.name(t)) taken as 1",
                              Explain.sumTo(s.upstream, from: via.shape, to: t.shape)))
        }
        if op.constantIsLeft == false && sym == "/" && k != 0 && k != 1 && k != -1 {
            // sum(x) / N is a mean of N elements: the / N students most often drop
            var mean = ""
            if let s = via.a, s.op?.symbol == "sum", let x = s.inputs.first, s.count > 0, Double(x.count / s.count) == k {
                mean = " (the mean's / \(e.formatter.number(k)): \(e.name(via)) averages \(e.formatter.number(k)) elements)"
            }
            slips.append(slip("a missing / \(e.formatter.number(k)): the division of \(e.name(via)) = \(forward(via)) left out of the gradient\(mean)",
                              c.map { $0 * k }))
        }
        if op.constantIsLeft != nil && sym == "*" && k != 0 && k != 1 && k != -1 {
            slips.append(slip("the factor \(e.formatter.number(k)) of \(e.name(via)) = \(forward(via)) left out", c.map { $0 / k }))
        }
        if op.constantIsLeft == false && sym == "^" && k != 0 && k != 1 {
            slips.append(slip("the power rule's factor \(e.formatter.number(k)) left out (d(a ^ \(e.formatter.number(k)))/da = \(e.formatter.number(k)) a^\(e.formatter.number(k - 1)))",
                              c.map { $0 / k }))
        }
        let negative = s.local.contains { $0 < 0 } || sym == "neg" || (sym == "-" && (op.constantIsLeft == true || (op.constantIsLeft == nil && via.b === t && via.a !== t)))
        if negative {
            let what = via.count == 1 && t.count == 1 ? "d\(e.name(via))/d\(e.name(t)) = \(e.formatter.number(s.local.first ?? 0)) is negative" : "this step's derivative carries a minus sign"
            slips.append(slip("a sign lost: \(what), and your answer has the opposite sign from here on", c.map { -$0 }))
        }
        return slips
    }
}
