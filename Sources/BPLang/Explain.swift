import BPTensor

/// `explain(f)`: the forward pass step by step with the numbers substituted, then the backward
/// pass, one line per gradient: the chain-rule product along each edge (the sum of the paths
/// for a node reached along several), the local derivative's rule from the engine's rule table,
/// and for tensors the matrix form (`dW = x.T @ dz`, `db = sum(dz, axis=0)`).
struct Explain {
    let root: Tensor
    /// Every node f depends on, inputs first, left operands first.
    let order: [Tensor]
    /// The same nodes in the order the backward pass reaches them, f first.
    let backwardOrder: [Tensor]
    /// The backward pass's accumulations in execution order.
    let steps: [Backward.Step]
    /// The name each tensor is shown by: its variable, or t1, t2, ... in forward order.
    let names: [ObjectIdentifier: String]
    let formatter: Formatter
    /// At most this many lines per section; the rest are counted.
    static let lineLimit = 200

    /// Runs a traced backward pass from `root`, leaving every `.grad` as it was.
    init(_ root: Tensor, name rootName: String, formatter: Formatter) throws {
        self.root = root
        self.formatter = formatter
        let topological = Backward.topologicalOrder(root)
        let graph = Explain.readingOrder(topological, root)
        order = graph
        backwardOrder = topological.reversed()
        let saved = graph.map(\.grad)
        var recorded: [Backward.Step] = []
        defer { for (t, g) in zip(graph, saved) { t.grad = g } }
        try Backward.run(root, trace: { recorded.append($0) })
        steps = recorded
        self.names = Explain.names(graph, root, rootName)
    }

    /// `graph` (a topological order) rearranged so that left operands come first: t1 = a + b
    /// before t2 = b + c. Iterative: a chain millions deep does not overflow the stack.
    static func readingOrder(_ graph: [Tensor], _ root: Tensor) -> [Tensor] {
        let inGraph = Set(graph.map(ObjectIdentifier.init))
        var done: Set<ObjectIdentifier> = []
        var order: [Tensor] = []
        order.reserveCapacity(graph.count)
        var stack: [(Tensor, Int)] = [(root, 0)]
        while let (t, next) = stack.last {
            let inputs = t.inputs
            if next < inputs.count {
                stack[stack.count - 1].1 = next + 1
                let x = inputs[next]
                if inGraph.contains(ObjectIdentifier(x)) && !done.contains(ObjectIdentifier(x)) { stack.append((x, 0)) }
            } else {
                stack.removeLast()
                if done.insert(ObjectIdentifier(t)).inserted { order.append(t) }
            }
        }
        return order
    }

    /// The name of each node: the root's as given, a variable's name, or t1, t2, ... for an
    /// unnamed node in reading order. A name bound to several nodes (`y = y * x` in a loop)
    /// is numbered in order, `y#1`, `y#2`, ..., the last keeping the plain name.
    static func names(_ order: [Tensor], _ root: Tensor, _ rootName: String) -> [ObjectIdentifier: String] {
        var names: [ObjectIdentifier: String] = [:]
        var uses: [String: Int] = [:]
        for t in order where t !== root && (t.op == nil || t.name != nil) { uses[t.labelText, default: 0] += 1 }
        uses[rootName, default: 0] += 1
        var seen: [String: Int] = [:]
        var k = 0
        for t in order {
            var n: String
            if t === root {
                n = rootName
            } else if t.op == nil || t.name != nil {
                n = t.labelText
            } else {
                k += 1
                names[ObjectIdentifier(t)] = "t\(k)"
                continue
            }
            let count = uses[n] ?? 1
            if count > 1 {
                let m = seen[n, default: 0] + 1
                seen[n] = m
                if m < count { n += "#\(m)" }
            }
            names[ObjectIdentifier(t)] = n
        }
        return names
    }

    /// The name of a node of the graph, or a constant's value.
    func name(_ t: Tensor) -> String {
        if let n = names[ObjectIdentifier(t)] { return n }
        return t.count == 1 ? formatter.number(t.scalar) : t.labelText
    }

    /// A tensor's values on one line when small, else its shape.
    func values(_ t: Tensor) -> String { values(t.data, t.shape) }

    /// A shape, and the values when they fit on a line: `(3,) = [20, 28, 36]`.
    func shaped(_ data: [Double], _ shape: [Int]) -> String {
        data.count <= 6 ? "\(describeShape(shape)) = \(values(data, shape))" : describeShape(shape)
    }

    func values(_ data: [Double], _ shape: [Int]) -> String {
        if shape.isEmpty || data.count == 1 { return formatter.number(data.first ?? 0) }
        if data.count <= 6 { return "[" + data.map(formatter.number).joined(separator: ", ") + "]" }
        return describeShape(shape)
    }

    /// A number as an operand: negative numbers in parentheses.
    func operand(_ x: Double) -> String {
        let s = formatter.number(x)
        return x < 0 ? "(\(s))" : s
    }

    /// `t` written as an operation of `operands` (names or numbers).
    static func expression(_ t: Tensor, _ operands: [String], constant: String) -> String {
        guard let op = t.op else { return operands.first ?? "?" }
        let sym = op.symbol
        if let left = op.constantIsLeft, operands.count == 1 {
            return left ? "\(constant) \(sym) \(operands[0])" : "\(operands[0]) \(sym) \(constant)"
        }
        if operands.count == 2, ["+", "-", "*", "/", "^", "%", "@"].contains(sym) {
            return "\(operands[0]) \(sym) \(operands[1])"
        }
        if sym == "neg", operands.count == 1 { return "-" + operands[0] }
        let plain = operands.map { $0.hasPrefix("(-") && $0.hasSuffix(")") ? String($0.dropFirst().dropLast()) : $0 }
        return "\(sym)(\(plain.joined(separator: ", ")))"
    }

    // MARK: forward

    func forward() -> [String] {
        var lines: [String] = []
        for t in order {
            guard t.op != nil else { continue }
            let inputs = t.inputs
            let symbolic = Explain.expression(t, inputs.map(name), constant: formatter.number(t.constant))
            var line = "\(name(t)) = \(symbolic)"
            if t.count == 1 && inputs.allSatisfy({ $0.count == 1 }) {
                let numeric = Explain.expression(t, inputs.map { operand($0.scalar) }, constant: operand(t.constant))
                line += " = \(numeric) = \(formatter.number(t.scalar))"
            } else {
                let shapes = inputs.map { describeShape($0.shape) }.joined(separator: ", ")
                line += "   \(shapes) -> \(shaped(t.data, t.shape))"
            }
            lines.append(line)
        }
        return lines
    }

    // MARK: backward

    /// The part of `via`'s rule that applies to the edge to `target` (`d(a * b)/db = a`).
    /// `second` is true for the second of two edges to the same input (`a * a`).
    static func rulePart(_ via: Tensor, _ target: Tensor, second: Bool) -> String {
        guard let op = via.op else { return "" }
        let rule = op.rule
        var parts = rule.components(separatedBy: ", d")
        for k in parts.indices.dropFirst() { parts[k] = "d" + parts[k] }
        var index = 0
        if let left = op.constantIsLeft {
            index = left ? 1 : 0
        } else if via.a === target && via.b === target {
            index = second ? 1 : 0
        } else if via.b === target {
            index = 1
        } else if via.a !== target {
            return rule
        }
        return index < parts.count ? parts[index] : rule
    }

    /// The steps that reached each target, in execution order.
    func stepsByTarget() -> [ObjectIdentifier: [Backward.Step]] {
        var byTarget: [ObjectIdentifier: [Backward.Step]] = [:]
        for s in steps { byTarget[ObjectIdentifier(s.target), default: []].append(s) }
        return byTarget
    }

    /// The rule text of each step, `a * a`'s second edge told apart from its first.
    func ruleParts(_ list: [Backward.Step]) -> [String] {
        var seen: Set<ObjectIdentifier> = []
        return list.map { s in
            let second = !seen.insert(ObjectIdentifier(s.via)).inserted
            return Explain.rulePart(s.via, s.target, second: second)
        }
    }

    func backward() -> [String] {
        let f = name(root)
        var lines = ["d\(f)/d\(f) = 1"]
        let byTarget = stepsByTarget()
        var noted = false
        for t in backwardOrder where t !== root {
            guard let list = byTarget[ObjectIdentifier(t)] else { continue }
            if !noted && !Explain.isScalarStep(t, list) {
                noted = true
                lines.append("(for tensors dX stands for d\(f)/dX, of X's shape)")
            }
            lines += gradientLines(t, list)
        }
        return lines
    }

    /// True when t's gradient and every gradient it comes from are numbers.
    static func isScalarStep(_ t: Tensor, _ list: [Backward.Step]) -> Bool {
        t.count == 1 && list.allSatisfy { $0.via.count == 1 }
    }

    /// The gradient of t, reached by the steps `list`: the chain-rule product along each edge
    /// (their sum for several), then one line per edge with its local derivative and rule.
    func gradientLines(_ t: Tensor, _ list: [Backward.Step]) -> [String] {
        let f = name(root)
        var lines: [String] = []
        let total = list.reduce(into: [Double](repeating: 0, count: t.count)) { acc, s in
            let summed = Explain.sumTo(s.added, from: s.via.shape, to: t.shape)
            for k in acc.indices { acc[k] += summed[k] }
        }
        let rules = ruleParts(list)
        let x = name(t)
        if Explain.isScalarStep(t, list) {
            // beside other paths, f's own edge to x is the partial derivative ∂f/∂x
            let direct = list.count > 1 ? "∂\(f)/∂\(x)" : "d\(f)/d\(x)"
            let symbolic = list.map { s -> String in
                let p = name(s.via)
                return s.via === root ? direct : "d\(f)/d\(p) * d\(p)/d\(x)"
            }
            let numeric = list.map { s in
                s.via === root ? operand(s.local[0]) : "\(operand(s.upstream[0])) * \(operand(s.local[0]))"
            }
            var line = "d\(f)/d\(x) = "
            let sym = symbolic.joined(separator: " + ")
            if sym != "d\(f)/d\(x)" { line += sym + " = " }
            let num = numeric.joined(separator: " + ")
            line += num == formatter.number(total[0]) ? num : "\(num) = \(formatter.number(total[0]))"
            lines.append(line)
            if list.count == 1 && list[0].via === root {
                lines[lines.count - 1] += "   by \(rules[0]) where \(operandNames(root))"
            } else {
                for (s, r) in zip(list, rules) {
                    let local = s.via === root ? direct : "d\(name(s.via))/d\(x)"
                    lines.append("    \(local) = \(formatter.number(s.local[0]))   by \(r) where \(operandNames(s.via))")
                }
            }
        } else {
            let forms = list.map { matrixForm($0) }
            lines.append("d\(x) = \(forms.joined(separator: " + "))   \(shaped(total, t.shape))")
            for (s, r) in zip(list, rules) { lines.append("    via \(name(s.via)): \(r) where \(operandNames(s.via))") }
        }
        return lines
    }

    /// What the rule's letters stand for at `node`: `a = t1, b = t2`, `x = z`.
    func operandNames(_ node: Tensor) -> String {
        guard let op = node.op else { return "" }
        let inputs = node.inputs.map(name)
        if let left = op.constantIsLeft, let x = inputs.first {
            let c = formatter.number(node.constant)
            return left ? "a is \(c), b is \(x)" : "a is \(x), b is \(c)"
        }
        if inputs.count == 1 { return "x is \(inputs[0])" }
        if op.symbol == "@", inputs.count == 2 { return "A is \(inputs[0]), B is \(inputs[1])" }
        if inputs.count == 2 { return "a is \(inputs[0]), b is \(inputs[1])" }
        return inputs.enumerated().map { "x\($0.offset + 1) is \($0.element)" }.joined(separator: ", ")
    }

    /// The axes summed when a gradient of shape `out` goes back to an operand of shape `to`.
    static func summedAxes(_ out: [Int], _ to: [Int]) -> [Int] {
        var axes: [Int] = []
        let lead = out.count - to.count
        for k in out.indices {
            let m = k - lead
            if m < 0 || (to[m] == 1 && out[k] != 1) { axes.append(k) }
        }
        return axes
    }

    /// `values` of shape `from` summed back to shape `to` (broadcasting undone).
    static func sumTo(_ values: [Double], from: [Int], to: [Int]) -> [Double] {
        let count = to.reduce(1, *)
        if values.count == count { return values }
        if count == 1 { return [values.reduce(0, +)] }
        var out = [Double](repeating: 0, count: count)
        let lead = from.count - to.count
        for (i, v) in values.enumerated() {
            var rest = i, offset = 0, stride = 1
            for k in from.indices.reversed() {
                let index = rest % from[k]
                rest /= from[k]
                let m = k - lead
                if m >= 0 {
                    if to[m] != 1 { offset += index * stride }
                    stride *= to[m]
                }
            }
            out[offset] += v
        }
        return out
    }

    /// The step's gradient in matrix form: `dP @ W.T`, `a1.T @ dz2`, `sum(dz, axis=0)`.
    func matrixForm(_ s: Backward.Step) -> String {
        let via = s.via, t = s.target
        let p = via === root ? "1" : "d\(name(via))"
        guard let op = via.op else { return p }
        let other = via.a === t ? via.b : via.a
        let o = other.map(name) ?? "?"
        let isA = via.a === t
        let c = formatter.number(via.constant)
        var form: String
        switch op.symbol {
        case "@": form = isA ? "\(p) @ \(o).T" : "\(o).T @ \(p)"
        case "+": form = p
        case "-": form = (op.constantIsLeft == true || (op.constantIsLeft == nil && !isA)) ? "-\(p)" : p
        case "*": form = op.constantIsLeft != nil ? "\(p) * \(c)" : "\(p) * \(o)"
        case "/":
            if let left = op.constantIsLeft {
                form = left ? "-\(p) * \(c) / \(name(t))^2" : "\(p) / \(c)"
            } else {
                form = isA ? "\(p) / \(o)" : "-\(p) * \(o) / \(name(t))^2"
            }
        case "^" where op.constantIsLeft == false: form = "\(p) * \(c) * \(name(t))^\(formatter.number(via.constant - 1))"
        case "neg": form = "-\(p)"
        case "exp": form = "\(p) * \(name(via))"
        case "log": form = "\(p) / \(name(t))"
        case "sigmoid": form = "\(p) * \(name(via)) * (1 - \(name(via)))"
        case "tanh": form = "\(p) * (1 - \(name(via))^2)"
        case "relu": form = "\(p) * (\(name(t)) > 0)"
        case "sum": form = "\(p) copied to every element of \(name(t))"
        case "index": form = "\(p) put back at the selected elements of \(name(t))"
        default: form = "\(p) * d\(name(via))/d\(name(t))"
        }
        let axes = Explain.summedAxes(via.shape, t.shape)
        if !axes.isEmpty && via.count > 1 && !["@", "sum", "index"].contains(op.symbol) {
            let axis = axes.count == 1 ? "\(axes[0])" : "(" + axes.map(String.init).joined(separator: ", ") + ")"
            form = t.count == 1 ? "sum(\(form))" : "sum(\(form), axis=\(axis))"
        }
        return form
    }

    /// The whole explanation.
    func text() -> String {
        func section(_ title: String, _ lines: [String]) -> String {
            var s = title + "\n"
            for l in lines.prefix(Explain.lineLimit) { s += "  \(l)\n" }
            if lines.count > Explain.lineLimit { s += "  ... \(lines.count - Explain.lineLimit) more lines\n" }
            return s
        }
        return section("forward:", forward()) + section("backward:", backward())
    }
}
