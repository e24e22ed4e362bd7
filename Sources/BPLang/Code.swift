/// Compiled code: an expression yields a value, a statement a control-flow signal.
typealias Code = (Interpreter) throws -> Value
typealias Exec = (Interpreter) throws -> Flow

enum Flow { case normal, breakLoop, continueLoop, returned }
