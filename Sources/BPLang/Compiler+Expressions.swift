import BPTensor

/// An evaluated subscript item.
enum IndexValue { case index(Value), slice(Value?, Value?, Value?) }

/// A compiled subscript item (boxed as `CodeBox` is, to be kept in an array).
struct IndexBox {
    let run: (Interpreter) throws -> IndexValue
}

extension Compiler {
    /// Compiles an expression. Every 64 levels of nesting the code also looks at the stack
    /// before it goes deeper, so a long chain (`a + a + ...`, `x.T.T...`) evaluated deep inside
    /// a recursion stops with an error instead of overflowing; shallow code pays nothing.
    mutating func expr(_ e: Expr, label: Pos? = nil) -> Code {
        nesting += 1
        defer { nesting -= 1 }
        let code = compileExpr(e, label: label)
        guard nesting % 64 == 0 else { return code }
        let loc = e.pos.loc
        return { i in
            guard i.stackGuard.hasRoom() else {
                throw BPError.runtime("expression nested too deeply to evaluate here (the stack is exhausted)", at: loc)
            }
            return try code(i)
        }
    }

    mutating func compileExpr(_ e: Expr, label: Pos?) -> Code {
        guard interp.stackGuard.hasRoom() else {
            // a chain of 10^5 terms on a small stack: an error, not a crash
            fail("expression nested too deeply to compile", e.pos)
            return { _ in .none }
        }
        switch e {
        case .number(let d, _):
            let v = Value.number(d)
            return { _ in v }
        case .string(let s, _):
            let v = Value.string(s)
            return { _ in v }
        case .bool(let b, _):
            let v = Value.bool(b)
            return { _ in v }
        case .none:
            return { _ in .none }
        case .name(let n, let p):
            return load(n, p)
        case .paren(let inner, let p):
            return expr(inner, label: label ?? p)
        case .fstring(let parts, _):
            return fstring(parts)
        case .list(let items, _):
            if let (shape, data) = Compiler.constantData(e) {
                // every evaluation of a literal makes a new value
                return { _ in .tensor(Tensor(shape: shape, data: data)) }
            }
            let cs = items.map { CodeBox(run: expr($0)) }
            return { i in .list(ListRef(try cs.map { try $0.run(i) })) }
        case .unary(let op, let x, let p):
            let c = expr(x)
            let s = nodeLabel(label ?? p)
            if op == .pos {
                return { i in
                    let v = try c(i)
                    guard Values.tensor(v) != nil else { throw BPError.runtime("unary '+' needs a number or tensor, found a \(describe(v))", at: p.loc) }
                    return v
                }
            }
            return { i in
                let v = try c(i)
                if case .number(let d) = v { return .number(-d) }
                return try Values.negate(v, label: s, at: p.loc)
            }
        case .binary(let op, let l, let r, let opLoc, let p):
            let a = expr(l), b = expr(r)
            let s = nodeLabel(label ?? p)
            if let fast = Compiler.arithmetic(op, operand(l, a), operand(r, b), label: s, at: opLoc) { return fast }
            if let bop = op.elementwise {
                return { i in
                    let x = try a(i), y = try b(i)
                    if case .number(let u) = x, case .number(let v) = y { return .number(bop.apply(u, v)) }
                    return try Values.binary(op, x, y, label: s, at: opLoc)
                }
            }
            return { i in try Values.binary(op, try a(i), try b(i), label: s, at: opLoc) }
        case .compare(let ops, let operands, let locs, _):
            if ops.count == 1 {
                let a = expr(operands[0]), b = expr(operands[1])
                return Compiler.comparison(ops[0], operand(operands[0], a), operand(operands[1], b), at: locs[0])
            }
            let cs = operands.map { CodeBox(run: expr($0)) }
            return { i in
                var left = try cs[0].run(i)
                var result = Value.bool(true)
                for k in 0..<ops.count {
                    let right = try cs[k + 1].run(i)
                    result = try Values.compare(ops[k], left, right, at: locs[k])
                    if try !Values.truth(result, at: locs[k]) { return result }
                    left = right
                }
                return result
            }
        case .and(let l, let r, let p):
            let a = expr(l), b = expr(r)
            return { i in
                let x = try a(i)
                return try Values.truth(x, at: p.loc) ? try b(i) : x
            }
        case .or(let l, let r, let p):
            let a = expr(l), b = expr(r)
            return { i in
                let x = try a(i)
                return try Values.truth(x, at: p.loc) ? x : try b(i)
            }
        case .not(let x, let p):
            let c = expr(x)
            return { i in .bool(!(try Values.truth(try c(i), at: p.loc))) }
        case .call(let callee, let args, let p):
            let f: Code
            if let m = method(callee, args) { f = m.run } else { f = expr(callee) }
            let positional = args.filter { $0.name == nil }.map { CodeBox(run: expr($0.value)) }
            let keywords = args.compactMap { a in a.name.map { ($0, a.value) } }
            let kw = keywords.map { ($0.0, CodeBox(run: expr($0.1))) }
            let s = nodeLabel(label ?? p)
            let loc = callee.pos.loc
            // backward(f) and friends name f after its source text
            let argLabels = args.map { nodeLabel($0.value.pos) }
            let source = labelSource, cp = callee.pos
            // x.size(), x.shape(): attributes called like NumPy's methods
            var hint = ""
            if case .attribute(let base, let name, _) = callee, interp.builtinNames.contains(name) {
                hint = "; '\(name)' is an attribute here, not a method: write \(text(base.pos)).\(name) or \(name)(\(text(base.pos)))"
            }
            func arguments(_ i: Interpreter) throws -> Arguments {
                var a = Arguments(try positional.map { try $0.run(i) }, keywords: try kw.map { ($0.0, try $0.1.run(i)) }, loc: loc, label: s)
                a.argumentLabels = argLabels
                return a
            }
            // every argument by position: evaluated straight into the callee's frame
            let fill = Compiler.frameFiller(positional)
            let count = positional.count, byPosition = keywords.isEmpty
            let keywordSite = byPosition ? nil : KeywordSite(positional, kw, at: loc, label: s, argumentLabels: argLabels)
            let general: Code = { i in
                let fv = try f(i)
                if case .function(let fn) = fv {
                    switch fn.body {
                    case .user(let u) where byPosition && u.params.count == count:
                        return try i.callUser(u, fill, at: loc)
                    case .builtin(let b) where byPosition && b.takesByPosition(count):
                        return try i.callBuiltin(b, positional, at: loc, label: s, argumentLabels: argLabels)
                    case .builtin(let b):
                        if let keywordSite, keywordSite.takes(b) { return try keywordSite.call(b, i) }
                    default: break
                    }
                }
                guard case .function(let fn) = fv else {
                    // a model: net(X)
                    if case .host(let h) = fv, let callee = h as? CallableHostObject { return try i.call(callee, try arguments(i)) }
                    throw BPError.runtime("'\(source.text(cp.start, cp.end))' is a \(describe(fv)), not a function" + hint, at: loc)
                }
                return try i.call(fn, try arguments(i))
            }
            if byPosition, case .name(let n, _) = callee, locals?[n] == nil,
               let direct = Compiler.globalCall(interp.slot(n), positional, at: loc, label: s, otherwise: general) {
                return direct
            }
            return general
        case .index(let base, let items, let p):
            let b = expr(base)
            let sel = items.map { indexItem($0) }
            let s = nodeLabel(label ?? p)
            return { i in try Indexing.get(try b(i), try sel.map { try $0.run(i) }, label: s, at: p.loc) }
        case .attribute(let base, let name, let p):
            let b = expr(base)
            let source = labelSource, bp = base.pos
            let s = nodeLabel(label ?? p)
            let known = Attributes.Name(rawValue: name)
            return { i in
                try Attributes.get(try b(i), name, known: known, baseText: { source.text(bp.start, bp.end) }, label: s, at: p.loc, interp: i)
            }
        }
    }

    /// Stores the values of `args` at `base`, `base + 1`, ... of the stack, raising `top`
    /// past each (see `Interpreter.callUser`). The usual counts get a closure each, without
    /// an array of closures to call through.
    static func frameFiller(_ args: [CodeBox]) -> (Interpreter, Int) throws -> Void {
        switch args.count {
        case 0:
            return { _, _ in }
        case 1:
            let a = args[0].run
            return { i, b in
                let v = try a(i)
                i.stack[b] = v
                i.top = b + 1
            }
        case 2:
            let a = args[0].run, c = args[1].run
            return { i, b in
                let v = try a(i)
                i.stack[b] = v
                i.top = b + 1
                let w = try c(i)
                i.stack[b + 1] = w
                i.top = b + 2
            }
        default:
            return { i, b in
                for (k, a) in args.enumerated() {
                    let v = try a.run(i)
                    i.stack[b + k] = v
                    i.top = b + k + 1
                }
            }
        }
    }

    /// `f(a)`, `f(a, b)` with `f` a global name: when it holds a user function of as many
    /// parameters, the call reads it in place (no closure to load it) and evaluates the
    /// arguments into locals, then moves them into the frame (no closure to fill it; its
    /// slots are unbound, nil, so nothing there is released). Anything else takes
    /// `otherwise`, the general call. `f(x)` with `f` an element-wise builtin (`sigmoid`)
    /// applies it directly: what binding the argument did for it cost a third of the call.
    static func globalCall(_ slot: Int, _ args: [CodeBox], at location: SourceLocation, label: Label?,
                           otherwise: @escaping Code) -> Code? {
        // the cold parts in an object: the closures capture one reference for them
        let site = CallSite(location, label, otherwise)
        switch args.count {
        case 1:
            let a = args[0].run
            return { i in
                guard let u = i.userFunction(slot, arity: 1) else {
                    guard let op = i.unaryBuiltin(slot) else { return try site.otherwise(i) }
                    let x = try a(i)
                    try i.checkInterrupt()
                    do {
                        return try Values.unary(op, x, label: site.label, name: op.rawValue, at: site.location)
                    } catch {
                        throw Values.located(error, at: site.location)
                    }
                }
                try i.enterCall(u, at: site.location)
                let x = try a(i)
                let b = i.top
                i.reserveStack(b + u._withUnsafeGuaranteedRef { $0.slots })
                (i.stack + b).initialize(to: consume x)
                return try i.frame(u, at: b, calledAt: site.location)
            }
        case 2:
            let a = args[0].run, c = args[1].run
            return { i in
                guard let u = i.userFunction(slot, arity: 2) else { return try site.otherwise(i) }
                try i.enterCall(u, at: site.location)
                let x = try a(i), y = try c(i)
                let b = i.top
                i.reserveStack(b + u._withUnsafeGuaranteedRef { $0.slots })
                (i.stack + b).initialize(to: consume x)
                (i.stack + b + 1).initialize(to: consume y)
                return try i.frame(u, at: b, calledAt: site.location)
            }
        default:
            return nil
        }
    }

    /// Where a call is and its general code, kept by reference (see `globalCall`).
    final class CallSite {
        let location: SourceLocation
        let label: Label?
        let otherwise: Code
        init(_ location: SourceLocation, _ label: Label?, _ otherwise: @escaping Code) {
            self.location = location
            self.label = label
            self.otherwise = otherwise
        }
    }

    /// `x.sum()`, `x.reshape(3, 1)`: NumPy's method style. When the attribute is a builtin's
    /// name and `x` is data, one error shows the bp call (`reshape(x, 3, 1)`).
    mutating func method(_ callee: Expr, _ args: [Argument]) -> CodeBox? {
        guard case .attribute(let base, let name, let p) = callee, !Attributes.tensorAttributes.contains(name),
              interp.builtinNames.contains(name) else { return nil }
        let b = expr(base)
        let baseText = text(base.pos)
        let call = "\(name)(" + ([baseText] + args.map { text($0.pos) }).joined(separator: ", ") + ")"
        let s = nodeLabel(p)
        return CodeBox { i in
            let v = try b(i)
            switch v {
            case .tensor, .number, .bool, .list, .string:
                throw BPError.runtime("bp has no methods: write \(call) instead of \(baseText).\(name)(...)", at: p.loc)
            default:
                return try Attributes.get(v, name, known: nil, baseText: { baseText }, label: s, at: p.loc, interp: i)
            }
        }
    }

    mutating func indexItem(_ item: IndexItem) -> IndexBox {
        switch item {
        case .index(let e):
            let c = expr(e)
            return IndexBox { i in .index(try c(i)) }
        case .slice(let a, let b, let c):
            func part(_ e: Expr?) -> CodeBox? { e.map { CodeBox(run: expr($0)) } }
            let ca = part(a), cb = part(b), cc = part(c)
            return IndexBox { i in .slice(try ca?.run(i), try cb?.run(i), try cc?.run(i)) }
        }
    }

    mutating func fstring(_ parts: [FPart]) -> Code {
        enum Piece { case text(String), value(Code, String?, SourceLocation) }
        let pieces: [Piece] = parts.map {
            switch $0 {
            case .text(let s): return .text(s)
            case .expr(let e, let spec): return .value(expr(e), spec, e.pos.loc)
            }
        }
        return { i in
            var out = ""
            for piece in pieces {
                switch piece {
                case .text(let s): out += s
                case .value(let c, let spec, let loc):
                    let v = try c(i)
                    if let spec {
                        do { out += try i.formatter.format(v, spec: spec) } catch let e as FormatError {
                            throw BPError.runtime(e.message, at: loc)
                        }
                    } else {
                        out += i.formatter.string(v)
                    }
                }
            }
            return .string(out)
        }
    }

    /// A bracket literal of number literals (optionally negated) or such literals,
    /// rectangular: its shape and row-major data. Anything else is a list.
    static func constantData(_ e: Expr) -> ([Int], [Double])? {
        switch e {
        case .number(let d, _): return ([], [d])
        case .unary(.neg, .number(let d, _), _): return ([], [-d])
        case .unary(.pos, .number(let d, _), _): return ([], [d])
        case .list(let items, _):
            guard !items.isEmpty else { return nil }
            var shape: [Int]? = nil
            var data: [Double] = []
            for item in items {
                if case .list = item {} else if case .number = item {} else if case .unary(_, .number, _) = item {} else { return nil }
                guard let (s, d) = constantData(item) else { return nil }
                if shape == nil { shape = s } else if shape! != s { return nil }
                data += d
            }
            return ([items.count] + shape!, data)
        default: return nil
        }
    }
}
