import BPTensor

/// Arithmetic and comparisons on plain numbers, specialised when compiled: the operator is
/// chosen once (not switched on at every evaluation), and an operand that is a local
/// variable or a number literal is read in place instead of through a closure of its own.
/// `s = s + i * 0.5` and `fib(n - 1)` are mostly such nodes. Anything but two numbers takes
/// the general path (`Values.binary`, `Values.compare`), so results and errors are the same.
protocol NumberOperation {
    static func apply(_ a: Double, _ b: Double) -> Double
}
enum AddNumbers: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a + b } }
enum SubtractNumbers: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a - b } }
enum MultiplyNumbers: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a * b } }
enum DivideNumbers: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a / b } }

protocol NumberTest {
    static func test(_ a: Double, _ b: Double) -> Bool
}
enum LessThan: NumberTest { @inline(__always) static func test(_ a: Double, _ b: Double) -> Bool { a < b } }
enum LessOrEqual: NumberTest { @inline(__always) static func test(_ a: Double, _ b: Double) -> Bool { a <= b } }
enum GreaterThan: NumberTest { @inline(__always) static func test(_ a: Double, _ b: Double) -> Bool { a > b } }
enum GreaterOrEqual: NumberTest { @inline(__always) static func test(_ a: Double, _ b: Double) -> Bool { a >= b } }
enum EqualNumbers: NumberTest { @inline(__always) static func test(_ a: Double, _ b: Double) -> Bool { a == b } }
enum UnequalNumbers: NumberTest { @inline(__always) static func test(_ a: Double, _ b: Double) -> Bool { a != b } }

/// Makes code for the `NumberTest` of a comparison operator (see `withNumberTest`). It
/// keeps what it made in a box of its own type: a closure returned through a generic result
/// would come back wrapped in reabstraction thunks.
protocol NumberTestUser {
    mutating func make<T: NumberTest>(_: T.Type)
}

extension CompareOperator {
    /// Has `user` make its code for this operator's test on numbers, specialised on it.
    func withNumberTest<U: NumberTestUser>(_ user: inout U) {
        switch self {
        case .lt: user.make(LessThan.self)
        case .le: user.make(LessOrEqual.self)
        case .gt: user.make(GreaterThan.self)
        case .ge: user.make(GreaterOrEqual.self)
        case .eq: user.make(EqualNumbers.self)
        case .ne: user.make(UnequalNumbers.self)
        }
    }
}

/// An operand as compiled: its code, and where it is a local slot or a literal, that too.
enum Operand {
    case code(Code)
    /// A local variable: its slot, and the general load (unbound, formula) for the rest.
    case local(Int, Code)
    case constant(Double)

    var code: Code {
        switch self {
        case .code(let c), .local(_, let c): return c
        case .constant(let d):
            let v = Value.number(d)
            return { _ in v }
        }
    }
}

extension Compiler {
    /// The operand `e` compiled (`code` is its general code, already compiled).
    func operand(_ e: Expr, _ code: @escaping Code) -> Operand {
        switch e {
        case .number(let d, _): return .constant(d)
        case .name(let n, _):
            if let locals, let s = locals[n] { return .local(s, code) }
            return .code(code)
        default: return .code(code)
        }
    }

    /// `l op r` for + - * /, specialised on the operator and the operands' kinds.
    static func arithmetic(_ op: BinaryOperator, _ l: Operand, _ r: Operand, label: Label?, at loc: SourceLocation) -> Code? {
        switch op {
        case .add: return arithmetic(AddNumbers.self, op, l, r, label, loc)
        case .sub: return arithmetic(SubtractNumbers.self, op, l, r, label, loc)
        case .mul: return arithmetic(MultiplyNumbers.self, op, l, r, label, loc)
        case .div: return arithmetic(DivideNumbers.self, op, l, r, label, loc)
        default: return nil
        }
    }

    /// Each closure captures what its number path needs; the general path is a closure of
    /// its own (a closure that captures less is quicker to enter: callgrind, a sixth of a
    /// call of `fib` went to unpacking what the comparison `n < 2` captured).
    static func arithmetic<O: NumberOperation>(_: O.Type, _ op: BinaryOperator, _ l: Operand, _ r: Operand,
                                               _ label: Label?, _ loc: SourceLocation) -> Code {
        let slow: (Value, Value) throws -> Value = { x, y in try Values.binary(op, x, y, label: label, at: loc) }
        switch (l, r) {
        case (.local(let s, let a), .constant(let c)):
            let other: Code = { i in try slow(try a(i), .number(c)) }
            return { i in
                if case .number(let u)? = i.stack[i.base + s] { return .number(O.apply(u, c)) }
                return try other(i)
            }
        case (.local(let s, let a), .local(let t, let b)):
            let other: Code = { i in
                let x = try a(i)
                return try slow(x, try b(i))
            }
            return { i in
                if case .number(let u)? = i.stack[i.base + s], case .number(let v)? = i.stack[i.base + t] {
                    return .number(O.apply(u, v))
                }
                return try other(i)
            }
        case (.local(let s, let a), .code(let b)):
            return { i in
                if case .number(let u)? = i.stack[i.base + s] {
                    let y = try b(i)
                    if case .number(let v) = y { return .number(O.apply(u, v)) }
                    return try slow(.number(u), y)
                }
                let x = try a(i)
                return try slow(x, try b(i))
            }
        case (.code(let a), .constant(let c)):
            return { i in
                let x = try a(i)
                if case .number(let u) = x { return .number(O.apply(u, c)) }
                return try slow(x, .number(c))
            }
        case (.code(let a), .local(let t, let b)):
            return { i in
                let x = try a(i)
                if case .number(let u) = x, case .number(let v)? = i.stack[i.base + t] { return .number(O.apply(u, v)) }
                return try slow(x, try b(i))
            }
        case (.constant(let c), .local(let t, let b)):
            let other: Code = { i in try slow(.number(c), try b(i)) }
            return { i in
                if case .number(let v)? = i.stack[i.base + t] { return .number(O.apply(c, v)) }
                return try other(i)
            }
        case (.constant(let c), .code(let b)):
            return { i in
                let y = try b(i)
                if case .number(let v) = y { return .number(O.apply(c, v)) }
                return try slow(.number(c), y)
            }
        default:
            let a = l.code, b = r.code
            return { i in
                let x = try a(i), y = try b(i)
                if case .number(let u) = x, case .number(let v) = y { return .number(O.apply(u, v)) }
                return try slow(x, y)
            }
        }
    }

    /// `l op r` for one comparison as a value. Two numbers are compared inline; anything
    /// else takes the general path. (A condition is compiled by `test` instead.)
    static func comparison(_ op: CompareOperator, _ l: Operand, _ r: Operand, at loc: SourceLocation) -> Code {
        let a = l.code, b = r.code
        return { i in
            let x = try a(i), y = try b(i)
            if case .number(let u) = x, case .number(let v) = y { return .bool(Values.cmp(op, u, v)) }
            return try Values.compare(op, x, y, at: loc)
        }
    }

    /// `l op r` for one comparison as a condition (`if n < 2`), specialised like `arithmetic`:
    /// two numbers give the truth straight away, with no bool value to make and test. Anything
    /// else is the general comparison, its truth tested at `truthAt` (the condition's place).
    static func test(_ op: CompareOperator, _ l: Operand, _ r: Operand, at loc: SourceLocation, truthAt: SourceLocation) -> Test {
        struct Make: NumberTestUser {
            let op: CompareOperator, l: Operand, r: Operand, loc: (SourceLocation, SourceLocation)
            var made: TestBox? = nil
            mutating func make<T: NumberTest>(_: T.Type) { made = TestBox(run: Compiler.test(T.self, op, l, r, loc)) }
        }
        var m = Make(op: op, l: l, r: r, loc: (loc, truthAt))
        op.withNumberTest(&m)
        return m.made!.run
    }

    /// `if c { taken } else { otherwise }` as one closure. A condition that compares a local
    /// with a number is tested here, without a closure of its own for it.
    static func choice(_ c: TestBox, taken: @escaping Code, otherwise: @escaping Code) -> Code {
        // the three closures in one object: the closure captures one reference (see `arithmetic`)
        let box = Choice(test: c.run, taken: taken, otherwise: otherwise)
        guard let l = c.local else {
            return { i in try box.test(i) ? try box.taken(i) : try box.otherwise(i) }
        }
        struct Make: NumberTestUser {
            let slot: Int, constant: Double, box: Choice
            var made: CodeBox? = nil
            mutating func make<T: NumberTest>(_: T.Type) {
                let s = slot, c = constant, box = box
                made = CodeBox { i in
                    // a number: tested here; anything else: the general test
                    if case .number(let u)? = i.stack[i.base + s] { return T.test(u, c) ? try box.taken(i) : try box.otherwise(i) }
                    return try box.test(i) ? try box.taken(i) : try box.otherwise(i)
                }
            }
        }
        var m = Make(slot: l.slot, constant: l.constant, box: box)
        l.op.withNumberTest(&m)
        return m.made!.run
    }

    /// What an `if` chooses between (see `choice`).
    final class Choice {
        let test: Test, taken: Code, otherwise: Code
        init(test: @escaping Test, taken: @escaping Code, otherwise: @escaping Code) {
            self.test = test
            self.taken = taken
            self.otherwise = otherwise
        }
    }

    static func test<T: NumberTest>(_: T.Type, _ op: CompareOperator, _ l: Operand, _ r: Operand,
                                    _ loc: (SourceLocation, SourceLocation)) -> Test {
        let slow: (Value, Value) throws -> Bool = { x, y in try Compiler.truth(try Values.compare(op, x, y, at: loc.0), at: loc.1) }
        switch (l, r) {
        case (.local(let s, let a), .constant(let c)):
            // the general path in a closure of its own (see `arithmetic`)
            let other: Test = { i in try slow(try a(i), .number(c)) }
            return { i in
                if case .number(let u)? = i.stack[i.base + s] { return T.test(u, c) }
                return try other(i)
            }
        case (.code(let a), .constant(let c)):
            return { i in
                let x = try a(i)
                if case .number(let u) = x { return T.test(u, c) }
                return try slow(x, .number(c))
            }
        case (.local(let s, let a), .local(let t, let b)):
            let other: Test = { i in
                let x = try a(i)
                return try slow(x, try b(i))
            }
            return { i in
                if case .number(let u)? = i.stack[i.base + s], case .number(let v)? = i.stack[i.base + t] {
                    return T.test(u, v)
                }
                return try other(i)
            }
        default:
            let a = l.code, b = r.code
            return { i in
                let x = try a(i), y = try b(i)
                if case .number(let u) = x, case .number(let v) = y { return T.test(u, v) }
                return try slow(x, y)
            }
        }
    }
}
