/// Compiled code: an expression yields a value, a statement a control-flow signal.
typealias Code = (Interpreter) throws -> Value
typealias Exec = (Interpreter) throws -> Flow
/// A compiled condition: its truth.
typealias Test = (Interpreter) throws -> Bool

enum Flow { case normal, breakLoop, continueLoop, returned }

/// A compiled expression kept in an array or an optional. Swift stores a bare closure in a
/// generic container (Array, Optional) at its most general representation and wraps it in a
/// reabstraction thunk when it is taken out again; every call then goes through the thunk
/// (callgrind on a recursive function: a sixth of the instructions of a call). A closure that
/// is the field of a concrete struct keeps its own representation.
struct CodeBox {
    let run: Code
}

/// A compiled statement kept in an array or an optional (see `CodeBox`).
struct ExecBox {
    let run: Exec
}

/// A compiled condition kept in an array or an optional (see `CodeBox`); when it compares a
/// local with a number (`n < 2`), that too, for an `if` to make the test itself.
struct TestBox {
    let run: Test
    var local: LocalTest? = nil
}

/// `x op c`: local slot `x` against the number `c`.
struct LocalTest {
    let slot: Int
    let op: CompareOperator
    let constant: Double
}
