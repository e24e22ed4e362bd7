import BPTensor

/// Turns the AST into closures over an `Interpreter`. Names resolve to slots here, once:
/// a function's locals (its parameters and every name it assigns, as in Python) to frame
/// slots, every other name to a global slot.
struct Compiler {
    let interp: Interpreter
    let scalars: [Unicode.Scalar]
    /// The input as labels cut it (shared by every label of this compile).
    let labelSource: LabelSource
    /// The local slots of the function being compiled; nil at the top level.
    var locals: [String: Int]? = nil
    var loopDepth = 0
    /// How deep `expr` is in the expression being compiled.
    var nesting = 0
    var errors: [BPError] = []

    init(interp: Interpreter, scalars: [Unicode.Scalar]) {
        self.init(interp: interp, source: LabelSource(scalars))
    }

    /// A compiler for (part of) an input whose labels share `source`.
    init(interp: Interpreter, source: LabelSource) {
        self.interp = interp
        self.scalars = source.scalars
        self.labelSource = source
    }

    func text(_ p: Pos) -> String { Parser.text(scalars, p) }
    func nodeLabel(_ p: Pos) -> Label? { Label(labelSource, start: p.start, end: p.end) }

    mutating func fail(_ msg: String, _ p: Pos) { errors.append(BPError(.syntax, msg, at: p.loc)) }

    // MARK: statements

    mutating func block(_ stmts: [Stmt]) -> Exec {
        Compiler.sequence(stmts.map { ExecBox(run: statement($0)) })
    }

    /// Statements run one after the other until one breaks, continues or returns. Built as
    /// a chain of closures that each hold the next, not a loop over an array of closures:
    /// a closure kept in an array is called through a reabstraction thunk (callgrind: a
    /// quarter of a small function's call).
    /// Four statements a link where there are four (a link is a closure call of its own and
    /// its context unpacked: the links were 6% of an XOR epoch in perf).
    static func sequence(_ code: [ExecBox]) -> Exec {
        guard var chain = code.last?.run else { return { _ in .normal } }
        // folded from the end, iteratively: a body of 10^5 statements needs no deep recursion;
        // statements before `k` are still to link
        var k = code.count - 1
        while k > 0 {
            let rest = chain
            if k >= 4 {
                let s0 = code[k - 4].run, s1 = code[k - 3].run, s2 = code[k - 2].run, s3 = code[k - 1].run
                chain = { i in
                    var f = try s0(i)
                    guard case .normal = f else { return f }
                    try i.checkInterrupt()  // straight-line code stops too
                    f = try s1(i)
                    guard case .normal = f else { return f }
                    try i.checkInterrupt()
                    f = try s2(i)
                    guard case .normal = f else { return f }
                    try i.checkInterrupt()
                    f = try s3(i)
                    guard case .normal = f else { return f }
                    try i.checkInterrupt()
                    return try rest(i)
                }
                k -= 4
            } else {
                let first = code[k - 1].run
                chain = { i in
                    let f = try first(i)
                    guard case .normal = f else { return f }
                    try i.checkInterrupt()
                    return try rest(i)
                }
                k -= 1
            }
        }
        return chain
    }

    /// `if c0 { b0 } else if c1 { b1 } ... else { other }` as a chain of closures (see `sequence`).
    static func branches(_ conds: [TestBox], _ bodies: [ExecBox], _ other: ExecBox?) -> Exec {
        var chain: Exec = { _ in .normal }
        if let other { chain = other.run }  // not `??` (see `link`)
        for k in conds.indices.reversed() {
            let c = conds[k].run, body = bodies[k].run
            if k == conds.count - 1 && other == nil {
                chain = { i in try c(i) ? try body(i) : .normal }
            } else {
                let rest = chain
                chain = { i in try c(i) ? try body(i) : try rest(i) }
            }
        }
        return chain
    }

    /// A condition (`if`, `while`) compiled to its truth. A single comparison gives a `Bool`
    /// straight from two numbers, with no bool value made and tested.
    mutating func condition(_ e: Expr, truthAt: SourceLocation? = nil) -> TestBox {
        let loc = truthAt ?? e.pos.loc
        if case .paren(let inner, _) = e { return condition(inner, truthAt: loc) }
        if case .compare(let ops, let operands, let locs, _) = e, ops.count == 1 {
            let a = expr(operands[0]), b = expr(operands[1])
            let l = operand(operands[0], a), r = operand(operands[1], b)
            var box = TestBox(run: Compiler.test(ops[0], l, r, at: locs[0], truthAt: loc))
            if case .local(let s, _) = l, case .constant(let c) = r { box.local = LocalTest(slot: s, op: ops[0], constant: c) }
            return box
        }
        let c = expr(e)
        return TestBox(run: { i in try Compiler.truth(try c(i), at: loc) })
    }

    // MARK: function bodies

    /// A statement of a function body as compiled by `tail` (linked into closures by `link`).
    indirect enum Tail {
        /// `return e`: the function's value; what follows never runs.
        case value(CodeBox)
        /// `if c0 { b0 } else if ... else { other }`: each branch continues with what follows.
        case branches([TestBox], [[Tail]], [Tail]?)
        /// Any other statement; its `.returned` hands over `returnValue`.
        case statement(ExecBox)
    }

    /// A function body compiled to yield what the function returns. `return e` is `e`'s code
    /// itself and an `if` chooses between its branches' continuations, so the usual returns
    /// (`if n < 2 { return n }`, `return fib(n - 1) + fib(n - 2)`) pass their value straight
    /// back, with no `.returned` signal and no `returnValue` between. Other statements (loops,
    /// which may return from inside) run as statements.
    mutating func functionBody(_ stmts: [Stmt]) -> Code {
        Compiler.link(tail(stmts), then: { _ in .none })
    }

    /// `stmts` compiled in order, for `link`.
    mutating func tail(_ stmts: [Stmt]) -> [Tail] {
        stmts.map { s in
            switch s {
            case .return(let values, _):
                return .value(CodeBox(run: values.isEmpty ? { _ in .none } : values.count == 1 ? expr(values[0]) : returnList(values)))
            case .if(let branches, let elseBody, _):
                return .branches(branches.map { condition($0.0) }, branches.map { tail($0.1) }, elseBody.map { tail($0) })
            default:
                return .statement(ExecBox(run: statement(s)))
            }
        }
    }

    /// `pieces`, then `end`, as one chain of closures (folded from the end, as `sequence`).
    /// Unlike `sequence`, it does not look at Ctrl-C between statements: a function body runs
    /// long only through a loop or a call, and both look.
    static func link(_ pieces: [Tail], then end: @escaping Code) -> Code {
        var chain = end
        for piece in pieces.reversed() {
            let rest = chain
            switch piece {
            case .value(let c):
                chain = c.run
            case .branches(let conds, let bodies, let other):
                // when no condition holds: the else branch, or straight on
                var choice = rest
                if let other { choice = link(other, then: rest) }
                for (c, body) in zip(conds, bodies).reversed() {
                    choice = Compiler.choice(c, taken: link(body, then: rest), otherwise: choice)
                }
                chain = choice
            case .statement(let e):
                let run = e.run
                chain = { i in
                    guard case .returned = try run(i) else { return try rest(i) }
                    let r = i.returnValue
                    i.returnValue = .none
                    return r
                }
            }
        }
        return chain
    }

    /// `return a, b`: a list of the values.
    mutating func returnList(_ values: [Expr]) -> Code {
        let cs = values.map { CodeBox(run: expr($0)) }
        return { i in .list(ListRef(try cs.map { try $0.run(i) })) }
    }

    /// A condition's truth, a bool tested inline.
    @inline(__always)
    static func truth(_ v: Value, at loc: SourceLocation) throws -> Bool {
        if case .bool(let b) = v { return b }
        return try Values.truth(v, at: loc)
    }

    /// A top-level expression statement also yields its value (the shell prints it).
    mutating func topLevel(_ s: Stmt) -> (exec: Exec, value: Code?) {
        if case .expr(let e, _) = s {
            let c = expr(e)
            return ({ i in _ = try c(i); return .normal }, c)
        }
        return (statement(s), nil)
    }

    mutating func statement(_ s: Stmt) -> Exec {
        switch s {
        case .expr(let e, _):
            let c = expr(e)
            return { i in _ = try c(i); return .normal }
        case .assign(let targets, let value, let p):
            let v = expr(value)
            if targets.count == 1, case .name(let n, _) = targets[0], let slot = locals?[n] {
                // a local: stored in place, no store closure between
                return { i in
                    let x = try v(i)
                    i.stack[i.base + slot] = x
                    return .normal
                }
            }
            if targets.count == 1, case .name(let n, _) = targets[0], locals == nil {
                // a global: bound in place, the value handed on (no store closure between,
                // no copy of it)
                let s = interp.slot(n), label = interp.nameLabel(n)
                return { i in
                    i.bindGlobal(s, n, label: label, try v(i))
                    return .normal
                }
            }
            if targets.count == 1 {
                let store = assign(targets[0])
                return { i in try store(i, try v(i)); return .normal }
            }
            var stores: [(Interpreter, Value) throws -> Void] = []
            for t in targets { stores.append(assign(t)) }
            let n = targets.count
            return { i in
                let items = try Compiler.unpack(try v(i), count: n, at: p.loc)
                for k in 0..<n { try stores[k](i, items[k]) }
                return .normal
            }
        case .formula(let name, let e, let p):
            let c = expr(e)
            var names = Set<String>()
            e.collectNames(into: &names)
            let store = rawStore(name)
            let isTop = locals == nil
            let source = text(e.pos), input = labelSource.string
            return { i in
                // at its definition when the names show it (through other global formulas)
                if names.contains(name) || (isTop && i.formulaReaches(name, from: names)) {
                    throw Formula.selfReference(name, at: p.loc)
                }
                // a new formula object each time: a recursive function's calls each have their own
                let formula = Formula(name: name, code: c, source: source, input: input, names: names)
                try store(i, .formula(formula))
                return .normal
            }
        case .augAssign(let target, let op, let e, let opLoc, _):
            return augAssign(target, op, e, opLoc)
        case .def(let decl, _):
            let f = function(decl)
            let store = rawStore(decl.name)
            return { i in try store(i, .function(f)); return .normal }
        case .if(let branches, let elseBody, _):
            let conds = branches.map { condition($0.0) }
            let bodies = branches.map { ExecBox(run: block($0.1)) }
            var other: ExecBox? = nil
            if let elseBody { other = ExecBox(run: block(elseBody)) }
            return Compiler.branches(conds, bodies, other)
        case .while(let cond, let body, _):
            let c = condition(cond).run
            loopDepth += 1
            let b = block(body)
            loopDepth -= 1
            return { i in
                while try c(i) {
                    try i.checkInterrupt()
                    switch try b(i) {
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    default: continue
                    }
                }
                return .normal
            }
        case .for(let name, let seq, let body, _):
            let s = expr(seq)
            let store = rawStore(name)
            loopDepth += 1
            let b = block(body)
            loopDepth -= 1
            let loc = seq.pos.loc
            let local = locals?[name] ?? -1
            return { i in
                let sequence = try s(i)
                if case .range(let r) = sequence {
                    // the usual loop, `for i in range(n)`: numbers straight into the variable
                    var k = r.start
                    for _ in 0..<r.count {
                        try i.checkInterrupt()
                        if local >= 0 { i.stack[i.base + local] = .number(Double(k)) } else { try store(i, .number(Double(k))) }
                        switch try b(i) {
                        case .breakLoop: return .normal
                        case .returned: return .returned
                        default: k += r.step
                        }
                    }
                    return .normal
                }
                var flow = Flow.normal
                try Compiler.iterate(sequence, at: loc) { item in
                    try i.checkInterrupt()
                    try store(i, item)
                    switch try b(i) {
                    case .breakLoop: return false
                    case .returned: flow = .returned; return false
                    default: return true
                    }
                }
                return flow
            }
        case .break(let p):
            if loopDepth == 0 { fail("'break' outside a loop", p) }
            return { _ in .breakLoop }
        case .continue(let p):
            if loopDepth == 0 { fail("'continue' outside a loop", p) }
            return { _ in .continueLoop }
        case .return(let values, let p):
            if locals == nil { fail("'return' outside a function", p) }
            if values.isEmpty { return { i in i.returnValue = .none; return .returned } }
            if values.count == 1 {
                let c = expr(values[0])
                return { i in i.returnValue = try c(i); return .returned }
            }
            let c = returnList(values)
            return { i in i.returnValue = try c(i); return .returned }
        case .assert(let cond, let message, let p):
            let c = expr(cond)
            let m = message.map { expr($0) }
            return { i in
                if try !Values.truth(try c(i), at: cond.pos.loc) {
                    var text = "assertion failed"
                    if let m { text += ": " + i.formatter.string(try m(i)) }
                    throw BPError.runtime(text, at: p.loc)
                }
                return .normal
            }
        case .nograd(let body, _):
            let b = block(body)
            return { i in try i.engine.withGrad(false) { try b(i) } }
        }
    }

    static func unpack(_ v: Value, count n: Int, at loc: SourceLocation) throws -> [Value] {
        var items: [Value] = []
        try iterate(v, at: loc) { items.append($0); return items.count <= n }
        guard items.count == n else {
            throw BPError.runtime("cannot unpack \(items.count > n ? "more than \(n)" : "\(items.count)") value\(items.count == 1 ? "" : "s") into \(n) names", at: loc)
        }
        return items
    }

    /// Calls `body` with each element (range numbers, list items, a tensor's first axis,
    /// a string's characters) until it returns false.
    static func iterate(_ v: Value, at loc: SourceLocation, _ body: (Value) throws -> Bool) throws {
        switch v {
        case .range(let r):
            var k = r.start
            for _ in 0..<r.count {
                if try !body(.number(Double(k))) { return }
                k += r.step
            }
        case .list(let l):
            for item in l.items where try !body(item) { return }
        case .string(let s):
            for ch in s where try !body(.string(String(ch))) { return }
        case .tensor(let t) where t.rank > 0:
            for k in 0..<t.shape[0] {
                let (offsets, shape) = try Values.select(t.shape, [.at(k)], at: loc)
                if try !body(Values.wrap(Tensor.gather(t, offsets, shape: shape))) { return }
            }
        default:
            throw BPError.runtime("cannot iterate over a \(v.kindName); use range(n), a list or a tensor", at: loc)
        }
    }

    // MARK: names

    /// Stores without the leaf rule (loop variables, functions, formulas).
    func rawStore(_ name: String) -> (Interpreter, Value) throws -> Void {
        if let locals, let s = locals[name] {
            return { i, v in i.stack[i.base + s] = v }
        }
        let s = interp.slot(name)
        return { i, v in i.globals[s] = v }
    }

    mutating func assign(_ target: Target) -> (Interpreter, Value) throws -> Void {
        switch target {
        case .name(let name, _):
            if locals != nil { return rawStore(name) }
            let s = interp.slot(name), label = interp.nameLabel(name)
            return { i, v in i.bindGlobal(s, name, label: label, v) }
        case .index(let base, let items, let p):
            let b = expr(base)
            let sel = items.map { indexItem($0) }
            return { i, v in try Indexing.set(try b(i), try sel.map { try $0.run(i) }, v, at: p.loc) }
        }
    }

    mutating func augAssign(_ target: Target, _ op: BinaryOperator, _ e: Expr, _ opLoc: SourceLocation) -> Exec {
        let rhs = expr(e)
        switch target {
        case .name(let name, let p):
            let read = load(name, p, evaluateFormula: false)
            let store = rawStore(name)
            return { i in
                let cur = try read(i)
                let v = try rhs(i)
                // a leaf, a node or a tensor of one or more dimensions is shared and changes in
                // place; a 0-d constant (`.value`, `detach(3)`) is a plain number (SPEC §7)
                if case .tensor(let t) = cur, t.requiresGrad || t.rank > 0 {
                    try Indexing.updateInPlace(t, op, v, at: opLoc)
                    Values.dispose(consume v)
                } else if case .formula = cur {
                    throw BPError.runtime("'\(name)' is a formula (:=) and cannot be updated in place", at: opLoc)
                } else {
                    try store(i, try Values.binary(op, cur, v, label: nil, at: opLoc))
                }
                return .normal
            }
        case .index(let base, let items, let p):
            let b = expr(base)
            let sel = items.map { indexItem($0) }
            return { i in
                let container = try b(i)
                let s = try sel.map { try $0.run(i) }
                let cur = try Indexing.get(container, s, label: nil, at: p.loc)
                let v = try rhs(i)
                // a shared tensor held by a list changes in place, as NumPy's `L[0] += 1`
                // changes the array L[0] (and every other name for it)
                if case .list = container, case .tensor(let t) = cur, t.requiresGrad || t.rank > 0 {
                    try Indexing.updateInPlace(t, op, v, at: opLoc)
                    return .normal
                }
                try Engine.current.withGrad(false) {
                    try Indexing.set(container, s, try Values.binary(op, cur, v, label: nil, at: opLoc), at: p.loc)
                }
                return .normal
            }
        }
    }

    func load(_ name: String, _ p: Pos, evaluateFormula: Bool = true) -> Code {
        if let locals, let s = locals[name] {
            let general: Code = { i in
                guard let v = i.stack[i.base + s] else {
                    throw BPError.runtime("local variable '\(name)' is used before it is assigned", at: p.loc)
                }
                if evaluateFormula, case .formula(let f) = v { return try f.evaluate(i, at: p.loc) }
                return v
            }
            guard evaluateFormula else { return general }
            // a bound value that is not a formula straight away; the rest (unbound, a formula)
            // in a closure of its own, so this one captures little (see `arithmetic`)
            return { i in
                if let v = i.stack[i.base + s] {
                    if case .formula = v {} else { return v }
                }
                return try general(i)
            }
        }
        let s = interp.slot(name)
        let isTop = locals == nil
        let general: Code = { i in
            guard let v = i.globals[s] else {
                throw BPError.runtime("unknown name '\(name)'" + (Hints.name(name) ?? i.suggestion(name, i.boundNames)), at: p.loc)
            }
            if evaluateFormula, case .formula(let f) = v {
                let r = try f.evaluate(i, at: p.loc)
                return isTop ? i.bindTopLevel(r, name) : r
            }
            return v
        }
        guard evaluateFormula else { return general }
        // as for a local: a bound value that is not a formula straight away, the rest in a
        // closure of its own (this one captures two things, not six)
        return { i in
            if let v = i.globals[s] {
                if case .formula = v {} else { return v }
            }
            return try general(i)
        }
    }

    // MARK: functions

    mutating func function(_ decl: FunctionDecl) -> Function {
        var names = decl.params.map(\.name)
        Compiler.collectLocals(decl.body, into: &names)
        var slots: [String: Int] = [:]
        for (k, n) in names.enumerated() { slots[n] = k }
        var inner = Compiler(interp: interp, source: labelSource)
        inner.locals = slots
        let body = inner.functionBody(decl.body)
        var top = Compiler(interp: interp, source: labelSource)
        let defaults = decl.params.map { p in p.defaultValue.map { CodeBox(run: top.expr($0)) } }
        errors += inner.errors + top.errors
        let params = decl.params.map { p in p.defaultValue.map { "\(p.name)=\(Parser.text(scalars, $0.pos))" } ?? p.name }
        let code = UserCode(name: decl.name, body: body, slots: names.count, params: decl.params.map(\.name), defaults: defaults, source: labelSource)
        interp.compiledCode.append(code)
        return Function(name: decl.name, body: .user(code), signature: "\(decl.name)(\(params.joined(separator: ", ")))")
    }

    static func collectLocals(_ stmts: [Stmt], into names: inout [String]) {
        func add(_ n: String) { if !names.contains(n) { names.append(n) } }
        for s in stmts {
            switch s {
            case .assign(let targets, _, _):
                for t in targets { if case .name(let n, _) = t { add(n) } }
            case .formula(let n, _, _): add(n)
            case .augAssign(let t, _, _, _, _): if case .name(let n, _) = t { add(n) }
            case .def(let d, _): add(d.name)
            case .if(let branches, let other, _):
                for b in branches { collectLocals(b.1, into: &names) }
                if let other { collectLocals(other, into: &names) }
            case .for(let n, _, let body, _): add(n); collectLocals(body, into: &names)
            case .while(_, let body, _): collectLocals(body, into: &names)
            case .nograd(let body, _): collectLocals(body, into: &names)
            default: break
            }
        }
    }
}
