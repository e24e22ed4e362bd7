import BPTensor

/// Binary operators, in the spelling the user wrote.
public enum BinaryOperator: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", matmul = "@", mod = "%", pow = "^"
}

extension BinaryOperator {
    /// The engine's element-wise operation for this operator (nil for `@`).
    var elementwise: BinaryFunction? {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .mod: return .mod
        case .pow: return .pow
        case .matmul: return nil
        }
    }
}

public enum CompareOperator: String, Sendable {
    case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="
}

public enum UnaryOperator: String, Sendable { case neg = "-", pos = "+" }

/// One call argument: positional (`name == nil`) or keyword.
public struct Argument: Sendable {
    public var name: String?
    public var value: Expr
    public var pos: Pos
}

/// One subscript: an index or a slice `start:stop:step`.
public enum IndexItem: Sendable {
    case index(Expr)
    case slice(Expr?, Expr?, Expr?)
}

/// One piece of a parsed formatted string.
public enum FPart: Sendable {
    case text(String)
    case expr(Expr, spec: String?)
}

/// Expressions. Every node carries its position; a binary operation also the position of
/// its operator, which is where its errors point.
public indirect enum Expr: Sendable {
    case number(Double, Pos)
    case string(String, Pos)
    case fstring([FPart], Pos)
    case name(String, Pos)
    case bool(Bool, Pos)
    case none(Pos)
    /// A bracket literal: constant data becomes a tensor, anything else a list.
    case list([Expr], Pos)
    /// `( e )`: kept so that the node's label is the text with its parentheses.
    case paren(Expr, Pos)
    case unary(UnaryOperator, Expr, Pos)
    case binary(BinaryOperator, Expr, Expr, op: SourceLocation, Pos)
    /// A chain `a < b <= c` (one operator for two operands).
    case compare([CompareOperator], [Expr], ops: [SourceLocation], Pos)
    case and(Expr, Expr, Pos)
    case or(Expr, Expr, Pos)
    case not(Expr, Pos)
    case call(Expr, [Argument], Pos)
    case index(Expr, [IndexItem], Pos)
    case attribute(Expr, String, Pos)

    public var pos: Pos {
        switch self {
        case .number(_, let p), .string(_, let p), .fstring(_, let p), .name(_, let p), .bool(_, let p),
             .none(let p), .list(_, let p), .paren(_, let p), .unary(_, _, let p), .binary(_, _, _, _, let p),
             .compare(_, _, _, let p), .and(_, _, let p), .or(_, _, let p), .not(_, let p), .call(_, _, let p),
             .index(_, _, let p), .attribute(_, _, let p):
            return p
        }
    }
}

extension Expr {
    /// Every name the expression reads.
    func collectNames(into names: inout Set<String>) {
        switch self {
        case .number, .string, .bool, .none: break
        case .name(let n, _): names.insert(n)
        case .fstring(let parts, _):
            for case .expr(let e, _) in parts { e.collectNames(into: &names) }
        case .list(let items, _): items.forEach { $0.collectNames(into: &names) }
        case .paren(let e, _), .unary(_, let e, _), .not(let e, _), .attribute(let e, _, _):
            e.collectNames(into: &names)
        case .binary(_, let a, let b, _, _), .and(let a, let b, _), .or(let a, let b, _):
            a.collectNames(into: &names)
            b.collectNames(into: &names)
        case .compare(_, let operands, _, _): operands.forEach { $0.collectNames(into: &names) }
        case .call(let f, let args, _):
            f.collectNames(into: &names)
            args.forEach { $0.value.collectNames(into: &names) }
        case .index(let base, let items, _):
            base.collectNames(into: &names)
            for item in items {
                switch item {
                case .index(let e): e.collectNames(into: &names)
                case .slice(let a, let b, let c): [a, b, c].forEach { $0?.collectNames(into: &names) }
                }
            }
        }
    }
}

/// What an assignment writes to.
public enum Target: Sendable {
    case name(String, Pos)
    case index(Expr, [IndexItem], Pos)
}

public struct Parameter: Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var pos: Pos
}

public struct FunctionDecl: Sendable {
    public var name: String
    public var params: [Parameter]
    public var body: [Stmt]
    /// The one-line form `def f(x) = expr`, kept for help and `:vars`.
    public var isOneLine: Bool
}

public indirect enum Stmt: Sendable {
    case expr(Expr, Pos)
    /// `x = e`, `W[0, 1] = e`, or `a, b = e` (several targets unpack).
    case assign([Target], Expr, Pos)
    case formula(String, Expr, Pos)
    case augAssign(Target, BinaryOperator, Expr, op: SourceLocation, Pos)
    case def(FunctionDecl, Pos)
    case `if`([(Expr, [Stmt])], [Stmt]?, Pos)
    case `for`(String, Expr, [Stmt], Pos)
    case `while`(Expr, [Stmt], Pos)
    case `break`(Pos)
    case `continue`(Pos)
    case `return`([Expr], Pos)
    case assert(Expr, Expr?, Pos)
    case nograd([Stmt], Pos)

    public var pos: Pos {
        switch self {
        case .expr(_, let p), .assign(_, _, let p), .formula(_, _, let p), .augAssign(_, _, _, _, let p),
             .def(_, let p), .if(_, _, let p), .for(_, _, _, let p), .while(_, _, let p), .break(let p),
             .continue(let p), .return(_, let p), .assert(_, _, let p), .nograd(_, let p):
            return p
        }
    }
}

/// A parsed source: its statements, and whether the last one ended with `;` (which hides
/// its value in the shell).
public struct Program: Sendable {
    public var statements: [Stmt]
    public var lastHidden: Bool
}
