/// Recursive descent, one method per precedence level (lowest first), so the method names
/// spell the grammar. After a syntax error the parser skips to the next statement and goes
/// on, so `--check` reports every error.
public struct Parser {
    public static let maxDepth = 1000

    let scalars: [Unicode.Scalar]
    var tokens: [Token]
    var p = 0
    var depth = 0
    public private(set) var errors: [BPError] = []

    init(scalars: [Unicode.Scalar], tokens: [Token], errors: [BPError]) {
        self.scalars = scalars
        self.tokens = tokens
        self.errors = errors
    }

    /// Parses a whole source. Errors come sorted by position.
    public static func parse(_ source: String) -> (program: Program, errors: [BPError]) {
        let scalars = Array(source.unicodeScalars)
        var lexer = Lexer(scalars: scalars, start: 0, end: nil, loc: SourceLocation(line: 1, column: 1))
        lexer.run()
        var parser = Parser(scalars: scalars, tokens: lexer.tokens, errors: lexer.errors)
        let program = parser.parseProgram()
        // A lexer error and the parser error it causes can coincide: keep the first per spot.
        var seen = Set<SourceLocation>()
        let errors = parser.errors.sorted { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) }
            .filter { e in e.location.map { seen.insert($0).inserted } ?? true }
        return (program, errors)
    }

    /// The source text of a node, used as the label of unnamed graph nodes.
    public static func text(_ scalars: [Unicode.Scalar], _ pos: Pos) -> String {
        guard pos.start >= 0, pos.end <= scalars.count, pos.start < pos.end else { return "" }
        return String(String.UnicodeScalarView(scalars[pos.start..<pos.end]))
    }

    // MARK: - tokens

    var tok: Token { tokens[p] }
    var prevEnd: Int { p > 0 ? tokens[p - 1].end : 0 }

    func isOp(_ s: String) -> Bool { tok.kind == .op(s) }
    func isKeyword(_ k: Keyword) -> Bool { tok.kind == .keyword(k) }

    mutating func next() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    func fail(_ message: String, at token: Token? = nil) -> BPError {
        let t = token ?? tok
        return BPError(.syntax, message, at: t.loc, atEnd: t.kind == .eof)
    }

    mutating func expectOp(_ s: String, _ context: String) throws -> Token {
        guard isOp(s) else { throw fail("expected '\(s)' \(context), found \(tok.describe)") }
        return next()
    }

    mutating func expectName(_ context: String) throws -> (String, Token) {
        guard case .name(let n) = tok.kind else {
            if case .keyword(let k) = tok.kind {
                throw fail("expected \(context), found the keyword '\(k.rawValue)', which cannot be used as a name")
            }
            throw fail("expected \(context), found \(tok.describe)")
        }
        return (n, next())
    }

    func pos(from t: Token) -> Pos { Pos(loc: t.loc, start: t.start, end: max(prevEnd, t.end)) }

    /// Set by the first nesting error: the parse stops there (one error, promptly, for
    /// 100,000 nested blocks, instead of one per line).
    var tooDeep = false

    mutating func nest() throws {
        depth += 1
        if depth > Parser.maxDepth {
            tooDeep = true
            throw fail("expression nested too deeply (more than \(Parser.maxDepth) levels)")
        }
    }

    // MARK: - statements

    mutating func parseProgram() -> Program {
        var stmts: [Stmt] = []
        var lastHidden = false
        while true {
            while tok.kind == .newline || isOp(";") {
                lastHidden = isOp(";") && !stmts.isEmpty
                _ = next()
            }
            if tok.kind == .eof { break }
            if isOp("}") {
                errors.append(fail("unexpected '}' with no open block"))
                _ = next()
                continue
            }
            lastHidden = false
            do {
                stmts.append(try parseStatement())
                try endOfStatement()
            } catch let e as BPError {
                errors.append(e)
                if tooDeep { break }
                synchronize()
            } catch {}
        }
        return Program(statements: stmts, lastHidden: lastHidden)
    }

    mutating func endOfStatement() throws {
        switch tok.kind {
        case .newline, .eof, .op(";"), .op("}"): return
        default: throw fail("expected the end of the statement (a new line or ';'), found \(tok.describe)")
        }
    }

    /// Skips to the start of the next statement (past a newline or ';', or to a '}').
    mutating func synchronize() {
        depth = 0
        while true {
            switch tok.kind {
            case .eof, .op("}"): return
            case .newline, .op(";"): _ = next(); return
            default: _ = next()
            }
        }
    }

    mutating func parseBlock(_ context: String) throws -> [Stmt] {
        let open = tok
        guard isOp("{") else {
            // the '{' must be on this line, so the end of the input is no reason to wait for more
            var e = fail("expected '{' to start the body of \(context) on the same line, found \(tok.describe)")
            e.atEnd = false
            throw e
        }
        _ = next()
        try nest()
        defer { depth -= 1 }
        var stmts: [Stmt] = []
        while true {
            while tok.kind == .newline || isOp(";") { _ = next() }
            if isOp("}") { _ = next(); return stmts }
            if tok.kind == .eof {
                throw BPError(.syntax, "expected '}' to close the block opened at \(open.loc), found end of input",
                              at: tok.loc, atEnd: true)
            }
            let saved = depth
            do {
                stmts.append(try parseStatement())
                try endOfStatement()
            } catch let e as BPError {
                if e.atEnd || tooDeep { throw e }
                errors.append(e)
                synchronize()
                depth = saved
            }
        }
    }

    mutating func parseStatement() throws -> Stmt {
        let start = tok
        switch tok.kind {
        case .keyword(.def): return try parseDef()
        case .keyword(.if): return try parseIf()
        case .keyword(.for):
            _ = next()
            let (name, _) = try expectName("a loop variable name after 'for'")
            guard isKeyword(.in) else { throw fail("expected 'in' after 'for \(name)', found \(tok.describe)") }
            _ = next()
            let seq = try parseExpr()
            let body = try parseBlock("the 'for' loop")
            return .for(name, seq, body, pos(from: start))
        case .keyword(.while):
            _ = next()
            let cond = try parseCondition()
            let body = try parseBlock("the 'while' loop")
            return .while(cond, body, pos(from: start))
        case .keyword(.break): _ = next(); return .break(pos(from: start))
        case .keyword(.continue): _ = next(); return .continue(pos(from: start))
        case .keyword(.return):
            _ = next()
            var values: [Expr] = []
            if !atStatementEnd {
                values.append(try parseExpr())
                while isOp(",") { _ = next(); values.append(try parseExpr()) }
            }
            return .return(values, pos(from: start))
        case .keyword(.assert):
            _ = next()
            let cond = try parseExpr()
            var message: Expr? = nil
            if isOp(",") { _ = next(); message = try parseExpr() }
            return .assert(cond, message, pos(from: start))
        case .keyword(.nograd):
            _ = next()
            return .nograd(try parseBlock("'nograd'"), pos(from: start))
        case .keyword(.elif), .keyword(.else):
            // one error; its block is read and dropped, so its '}' is no second error
            let e = fail("'\(tok.describe.dropFirst().dropLast())' without an 'if' before it")
            if next().kind == .keyword(.elif) { _ = try parseExpr() }
            guard isOp("{") else { throw e }
            errors.append(e)
            _ = try parseBlock("'else'")
            return .expr(.none(pos(from: start)), pos(from: start))
        case .name("import") where isNameAfter, .name("from") where isNameAfter:
            throw fail("bp needs no import: every builtin (exp, sum, randn, ...) is already there, "
                + "and is called without a prefix (sum(x), not np.sum(x))")
        default:
            return try parseSimpleStatement()
        }
    }

    /// True when the token after the current one is a name (`import numpy`).
    var isNameAfter: Bool {
        if case .name = tokens[min(p + 1, tokens.count - 1)].kind { return true }
        return false
    }

    /// A condition (`if`, `elif`, `while`). `if x = 1 {` gets one error that names `==`,
    /// and parsing goes on as if `==` had been written, so no second error follows.
    mutating func parseCondition() throws -> Expr {
        let cond = try parseExpr()
        guard isOp("=") else { return cond }
        let eq = next()
        errors.append(fail("'=' binds a name; to compare in a condition, write '=='", at: eq))
        let rhs = try parseExpr()
        return .compare([.eq], [cond, rhs], ops: [eq.loc], Pos(loc: cond.pos.loc, start: cond.pos.start, end: rhs.pos.end))
    }

    var atStatementEnd: Bool {
        switch tok.kind {
        case .newline, .eof, .op(";"), .op("}"): return true
        default: return false
        }
    }

    mutating func parseDef() throws -> Stmt {
        let start = next()
        let (name, _) = try expectName("a function name after 'def'")
        let open = try expectOp("(", "after the function name '\(name)'")
        var params: [Parameter] = []
        var sawDefault = false
        while !isOp(")") {
            let (pname, ptok) = try expectName("a parameter name")
            var def: Expr? = nil
            if isOp("=") {
                _ = next()
                def = try parseExpr()
                sawDefault = true
            } else if sawDefault {
                throw fail("parameter '\(pname)' without a default follows one with a default", at: ptok)
            }
            if params.contains(where: { $0.name == pname }) {
                throw fail("duplicate parameter '\(pname)'", at: ptok)
            }
            params.append(Parameter(name: pname, defaultValue: def, pos: pos(from: ptok)))
            if isOp(",") { _ = next() } else if !isOp(")") {
                throw fail("expected ',' or ')' in the parameters of '\(name)' (opened at \(open.loc)), found \(tok.describe)")
            }
        }
        _ = next()
        if isOp("=") {
            _ = next()
            let e = try parseExpr()
            let body: [Stmt] = [.return([e], e.pos)]
            return .def(FunctionDecl(name: name, params: params, body: body, isOneLine: true), pos(from: start))
        }
        let body = try parseBlock("'\(name)'")
        return .def(FunctionDecl(name: name, params: params, body: body, isOneLine: false), pos(from: start))
    }

    mutating func parseIf() throws -> Stmt {
        let start = next()
        var branches: [(Expr, [Stmt])] = []
        let cond = try parseCondition()
        branches.append((cond, try parseBlock("'if'")))
        var elseBody: [Stmt]? = nil
        while true {
            // `elif` and `else` may start the line after a `}`
            var look = p
            while tokens[look].kind == .newline { look += 1 }
            let k = tokens[look].kind
            guard k == .keyword(.elif) || k == .keyword(.else) else { break }
            p = look
            var isElif = next().kind == .keyword(.elif)
            if !isElif && isKeyword(.if) {
                // `else if`: one error naming elif, then read on as an elif
                errors.append(fail("bp writes 'elif' for 'else if'", at: tokens[p - 1]))
                _ = next()
                isElif = true
            }
            if isElif {
                let c = try parseCondition()
                branches.append((c, try parseBlock("'elif'")))
            } else {
                elseBody = try parseBlock("'else'")
                break
            }
        }
        return .if(branches, elseBody, pos(from: start))
    }

    mutating func parseSimpleStatement() throws -> Stmt {
        let start = tok
        var exprs = [try parseExpr()]
        while isOp(",") {
            _ = next()
            exprs.append(try parseExpr())
        }
        let opTok = tok
        switch tok.kind {
        case .op("="):
            _ = next()
            let targets = try exprs.map { try target($0, opTok) }
            let value = try parseValueList()
            return .assign(targets, value, pos(from: start))
        case .op(":="):
            guard exprs.count == 1, case .name(let n, _) = exprs[0] else {
                throw fail("a formula ':=' binds one name, as in 'f := a * b'", at: opTok)
            }
            _ = next()
            return .formula(n, try parseExpr(), pos(from: start))
        case .op("+="), .op("-="), .op("*="), .op("/="), .op("//="):
            guard exprs.count == 1 else { throw fail("'\(opTok.describe)' updates one variable at a time", at: opTok) }
            _ = next()
            if opTok.kind == .op("//=") { errors.append(fail("bp has no '//=' operator; write x = floor(x / n)", at: opTok)) }
            let t = try target(exprs[0], opTok)
            guard case .op(let o) = opTok.kind, let op = BinaryOperator(rawValue: String(o.first!)) else {
                throw fail("unknown update operator \(opTok.describe)", at: opTok)
            }
            return .augAssign(t, op, try parseExpr(), op: opTok.loc, pos(from: start))
        default:
            if exprs.count > 1 {
                return .expr(.list(exprs, pos(from: start)), pos(from: start))
            }
            return .expr(exprs[0], pos(from: start))
        }
    }

    /// `a = 1, 2` makes a list, so `a, b = 1, 2` unpacks it.
    mutating func parseValueList() throws -> Expr {
        let start = tok
        let first = try parseExpr()
        guard isOp(",") else { return first }
        var items = [first]
        while isOp(",") { _ = next(); items.append(try parseExpr()) }
        return .list(items, pos(from: start))
    }

    func target(_ e: Expr, _ op: Token) throws -> Target {
        switch e {
        case .name(let n, let p): return .name(n, p)
        case .index(let base, let items, let p): return .index(base, items, p)
        case .paren(let inner, _): return try target(inner, op)
        case .attribute(_, let a, let p):
            throw BPError(.syntax, "cannot assign to the attribute '.\(a)'", at: p.loc)
        default:
            throw BPError(.syntax, "cannot assign to this expression; the left side of '\(op.describe.dropFirst().dropLast())' must be a name or an indexed name",
                          at: e.pos.loc)
        }
    }

    // MARK: - expressions, lowest precedence first

    public mutating func parseExpr() throws -> Expr { try parseOr() }

    mutating func parseOr() throws -> Expr {
        let start = tok
        var lhs = try parseAnd()
        while isKeyword(.or) {
            _ = next()
            let rhs = try parseAnd()
            lhs = .or(lhs, rhs, pos(from: start))
        }
        return lhs
    }

    mutating func parseAnd() throws -> Expr {
        let start = tok
        var lhs = try parseNot()
        while isKeyword(.and) {
            _ = next()
            let rhs = try parseNot()
            lhs = .and(lhs, rhs, pos(from: start))
        }
        return lhs
    }

    mutating func parseNot() throws -> Expr {
        let start = tok
        if isKeyword(.not) {
            _ = next()
            try nest()
            defer { depth -= 1 }
            let e = try parseNot()
            return .not(e, pos(from: start))
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> Expr {
        let start = tok
        let first = try parseAdditive()
        var ops: [CompareOperator] = [], locs: [SourceLocation] = [], operands = [first]
        while case .op(let o) = tok.kind, let op = CompareOperator(rawValue: o) {
            locs.append(next().loc)
            ops.append(op)
            operands.append(try parseAdditive())
        }
        if isOp("=") && ops.isEmpty == false {
            throw fail("'=' binds a name; to compare, write '=='")
        }
        return ops.isEmpty ? first : .compare(ops, operands, ops: locs, pos(from: start))
    }

    mutating func parseAdditive() throws -> Expr {
        let start = tok
        var lhs = try parseTerm()
        while case .op(let o) = tok.kind, o == "+" || o == "-" {
            let opLoc = next().loc
            let rhs = try parseTerm()
            lhs = .binary(BinaryOperator(rawValue: o)!, lhs, rhs, op: opLoc, pos(from: start))
        }
        return lhs
    }

    mutating func parseTerm() throws -> Expr {
        let start = tok
        var lhs = try parseUnary()
        while case .op(let o) = tok.kind, o == "*" || o == "/" || o == "@" || o == "%" || o == "//" {
            let opTok = next()
            if o == "//" { errors.append(fail("bp has no '//' operator; write floor(a / b)", at: opTok)) }
            let rhs = try parseUnary()
            lhs = .binary(BinaryOperator(rawValue: o == "//" ? "/" : o)!, lhs, rhs, op: opTok.loc, pos(from: start))
        }
        return lhs
    }

    mutating func parseUnary() throws -> Expr {
        let start = tok
        if case .op(let o) = tok.kind, o == "-" || o == "+" {
            _ = next()
            try nest()
            defer { depth -= 1 }
            let e = try parseUnary()
            return .unary(o == "-" ? .neg : .pos, e, pos(from: start))
        }
        return try parsePower()
    }

    /// `^` binds tighter than unary minus and is right-associative; its right operand may
    /// start with a unary minus (`2^-1`).
    mutating func parsePower() throws -> Expr {
        let start = tok
        let base = try parsePostfix()
        if isOp("^") {
            let opLoc = next().loc
            try nest()
            defer { depth -= 1 }
            let exponent = try parseUnary()
            return .binary(.pow, base, exponent, op: opLoc, pos(from: start))
        }
        return base
    }

    mutating func parsePostfix() throws -> Expr {
        let start = tok
        var e = try parsePrimary()
        while true {
            if isOp("(") {
                let open = next()
                try nest()
                var args: [Argument] = []
                var sawKeyword = false
                while !isOp(")") {
                    let argStart = tok
                    if case .name(let n) = tok.kind, tokens[p + 1].kind == .op("=") {
                        _ = next(); _ = next()
                        if args.contains(where: { $0.name == n }) { throw fail("keyword argument '\(n)' given twice", at: argStart) }
                        args.append(Argument(name: n, value: try parseExpr(), pos: pos(from: argStart)))
                        sawKeyword = true
                    } else {
                        if sawKeyword { throw fail("a positional argument cannot follow a keyword argument") }
                        args.append(Argument(name: nil, value: try parseExpr(), pos: pos(from: argStart)))
                    }
                    if isOp(",") { _ = next() } else if !isOp(")") {
                        throw fail("expected ',' or ')' in the call opened at \(open.loc), found \(tok.describe)")
                    }
                }
                _ = next()
                depth -= 1
                e = .call(e, args, pos(from: start))
            } else if isOp("[") {
                let open = next()
                try nest()
                var items: [IndexItem] = []
                repeat {
                    if isOp(",") { _ = next() }
                    items.append(try parseIndexItem())
                } while isOp(",")
                guard isOp("]") else { throw fail("expected ']' to close the index opened at \(open.loc), found \(tok.describe)") }
                _ = next()
                depth -= 1
                e = .index(e, items, pos(from: start))
            } else if isOp(".") {
                _ = next()
                let (name, _) = try expectName("an attribute name after '.'")
                e = .attribute(e, name, pos(from: start))
            } else {
                return e
            }
        }
    }

    mutating func parseIndexItem() throws -> IndexItem {
        func bound(_ parser: inout Parser) throws -> Expr? {
            parser.isOp(":") || parser.isOp(",") || parser.isOp("]") ? nil : try parser.parseExpr()
        }
        let first = try bound(&self)
        guard isOp(":") else {
            guard let first else { throw fail("expected an index, found \(tok.describe)") }
            return .index(first)
        }
        _ = next()
        let stop = try bound(&self)
        var step: Expr? = nil
        if isOp(":") { _ = next(); step = try bound(&self) }
        return .slice(first, stop, step)
    }

    mutating func parsePrimary() throws -> Expr {
        let t = tok
        switch t.kind {
        case .number(let v): _ = next(); return .number(v, pos(from: t))
        case .string(let s): _ = next(); return .string(s, pos(from: t))
        case .fstring(let pieces):
            _ = next()
            var parts: [FPart] = []
            for piece in pieces {
                switch piece {
                case .text(let s): parts.append(.text(s))
                case .expr(let s, let e, let loc, let spec):
                    parts.append(.expr(try parseSubExpression(start: s, end: e, loc: loc), spec: spec))
                }
            }
            return .fstring(parts, pos(from: t))
        case .name(let n): _ = next(); return .name(n, pos(from: t))
        case .keyword(.true): _ = next(); return .bool(true, pos(from: t))
        case .keyword(.false): _ = next(); return .bool(false, pos(from: t))
        case .keyword(.none): _ = next(); return .none(pos(from: t))
        case .op("("):
            _ = next()
            try nest()
            let e = try parseExpr()
            if isOp(",") {
                // a tuple, as in zeros((2, 3)): one error, then read on as a list
                errors.append(fail("bp has no tuples: pass sizes as separate arguments, as in zeros(2, 3), or write a list [2, 3]", at: t))
                var items = [e]
                while isOp(",") {
                    _ = next()
                    if isOp(")") { break }
                    items.append(try parseExpr())
                }
                guard isOp(")") else { throw fail("expected ')' to close the '(' at \(t.loc), found \(tok.describe)") }
                _ = next()
                depth -= 1
                return .list(items, pos(from: t))
            }
            guard isOp(")") else { throw fail("expected ')' to close the '(' at \(t.loc), found \(tok.describe)") }
            _ = next()
            depth -= 1
            return .paren(e, pos(from: t))
        case .op("["):
            _ = next()
            try nest()
            var items: [Expr] = []
            while !isOp("]") {
                items.append(try parseExpr())
                if isOp(",") { _ = next() } else if !isOp("]") {
                    throw fail("expected ',' or ']' in the list opened at \(t.loc), found \(tok.describe)")
                }
            }
            _ = next()
            depth -= 1
            return .list(items, pos(from: t))
        case .keyword(let k):
            throw fail("expected an expression, found the keyword '\(k.rawValue)'")
        default:
            throw fail("expected an expression, found \(t.describe)")
        }
    }

    /// Parses the expression of an f-string piece: a range of the same source.
    mutating func parseSubExpression(start: Int, end: Int, loc: SourceLocation) throws -> Expr {
        var lexer = Lexer(scalars: scalars, start: start, end: end, loc: loc)
        lexer.depth = 1  // newlines inside braces do not end anything
        lexer.run()
        if let e = lexer.errors.first { throw e }
        var sub = Parser(scalars: scalars, tokens: lexer.tokens, errors: [])
        sub.depth = depth
        do {
            let e = try sub.parseExpr()
            guard sub.tok.kind == .eof else {
                throw sub.fail("unexpected \(sub.tok.describe) in a formatted string's expression")
            }
            return e
        } catch var e as BPError {
            e.atEnd = false  // the piece ended, not the input
            if e.message.hasSuffix("found end of input") {
                e.message = String(e.message.dropLast("end of input".count)) + "the end of the '{...}'"
            }
            throw e
        }
    }
}
