import BPTensor
#if canImport(Glibc)
import Glibc
#endif

/// The running state of a program: global slots, the local stack, output, limits.
/// Statements are compiled to closures over this object (see `Compiler`).
public final class Interpreter {
    /// Global variables by slot; nil is unbound. Builtins are ordinary globals.
    var globals: [Value?] = []
    var globalIndex: [String: Int] = [:]
    var globalNames: [String] = []
    /// Names the builtins table defined, in slot order.
    public internal(set) var builtinNames: [String] = []

    /// Local slots of the active calls; `base` is the first slot of the innermost call. A raw
    /// buffer, not an Array: every write to an array held by a class first checks that its
    /// buffer is not shared (callgrind: a third of storing a local). Slots at and above
    /// `top` are always unbound.
    var stack: UnsafeMutablePointer<Value?>
    var stackCapacity = 4096
    var base = 0
    var top = 0
    var callDepth = 0
    /// More nested calls than this is an error at the call (never a stack overflow).
    public var maxCallDepth = 20_000
    /// The native stack of the thread running the program (see `StackGuard`).
    var stackGuard = StackGuard()
    /// What a `return` inside a loop hands to the function body (see `Compiler.tail`).
    var returnValue: Value = .none
    /// The code of every user function compiled for this interpreter, kept as long as it is
    /// (see `userFunction`): a definition's code, made once per compile, not per call.
    var compiledCode: [UserCode] = []

    public var formatter = Formatter()
    /// True in the shell: `backward(f)` then prints each leaf's gradient.
    public var interactive = false
    /// True while a shell input's top-level expression statement runs without a trailing
    /// `;`: only then does `backward(f)` list the gradients (not in loops or functions).
    var listsGradients = false
    /// Where `print` and the engine's reports go.
    public var output: (String) -> Void = StandardStreams.output
    /// Where notes go (standard error by default): hints that are not errors.
    public var noteOutput: (String) -> Void = StandardStreams.error
    /// The training-update note (`W = W - lr * W.grad`) is shown once per session.
    var notedTrainingUpdate = false
    /// The note naming where a nan or inf first appeared is shown once per session.
    var notedNonFinite = false
    /// Set (non-zero) by a SIGINT handler; polled at loop back-edges and calls.
    public let interruptFlag: UnsafeMutablePointer<Int32>
    /// The folder relative file names (`csv("data.csv")`, `plot(h, file="loss.svg")`) are
    /// read from and written to; nil is the process's working directory. A session running
    /// files kept beside a script (the corpus) sets it, instead of changing the process's
    /// directory, which every thread shares.
    public var workingDirectory: String? = nil
    /// The terminal standard output goes to, as the shell measured it; nil when output is not
    /// a terminal (then plots take their fixed size). Set by the front end: the library never
    /// asks the terminal itself.
    public var terminalSize: TerminalSize? = nil
    /// The progress bar `train` reports to, installed by the front end when standard output
    /// is a terminal; nil: plain lines (or nothing with `quiet=true`).
    public var trainingProgress: TrainingProgress? = nil
    /// Where pictures and tables go as MIME bundles (`plot` and `boundary` as SVG, `graph`
    /// as SVG where Graphviz is installed, `:vars` as HTML) when the front end can show them
    /// (`bp --serve`); nil — the shell, scripts — draws them as text on `output`.
    public var displayOutput: ((Display) -> Void)? = nil
    /// The script's arguments (`args`).
    public var scriptArgs: [String] = [] { didSet { define("args", .list(ListRef(scriptArgs.map { .string($0) }))) } }

    public init(interruptFlag: UnsafeMutablePointer<Int32>? = nil) {
        // without a signal handler's flag, the engine owns one (and frees it when the last
        // of the interpreter and the threads that ran it lets go)
        engine = interruptFlag.map { Engine(interruptFlag: $0) } ?? Engine()
        self.interruptFlag = engine.interruptFlag
        stack = .allocate(capacity: stackCapacity)
        stack.initialize(repeating: nil, count: stackCapacity)
        // the builtins are shared by every interpreter: installed holding the engine lock
        EngineLock.run {
            // the engine's notes (a very long chain) go where this interpreter's notes go
            engine.note = { [weak self] text in
                if let self { self.noteOutput(text + "\n") } else { StandardStreams.error(text + "\n") }
            }
            Builtins.install(into: self)
            builtinNames = globalNames
            define("args", .list(ListRef([])))
        }
    }

    deinit {
        // what can hold values and the builtins every interpreter shares lets go holding the
        // engine lock (see EngineLock); the rest (labels, closures) is this interpreter's own
        EngineLock.run {
            stack.deinitialize(count: stackCapacity)
            stack.deallocate()
            globals = []
            pristine = [:]
            compiledCode = []
            argumentArrays = []
            returnValue = .none
        }
    }

    /// Makes room for slots up to `end` (exclusive), moving the stack to a larger buffer.
    @inline(__always)
    func reserveStack(_ end: Int) {
        if end > stackCapacity { growStack(end) }
    }

    func growStack(_ end: Int) {
        let capacity = max(stackCapacity * 2, end)
        let bigger = UnsafeMutablePointer<Value?>.allocate(capacity: capacity)
        bigger.moveInitialize(from: stack, count: stackCapacity)
        (bigger + stackCapacity).initialize(repeating: nil, count: capacity - stackCapacity)
        stack.deallocate()
        stack = bigger
        stackCapacity = capacity
    }

    /// Empties a stack slot. A number, a bool or nothing needs no release: it is overwritten
    /// in place (the assignment would call the value's general destroy function).
    @inline(__always)
    func unbind(_ k: Int) {
        switch stack[k] {
        case nil, .number?, .bool?, .none?: (stack + k).initialize(to: nil)
        default: stack[k] = nil
        }
    }

    // MARK: globals

    func slot(_ name: String) -> Int {
        if let s = globalIndex[name] { return s }
        let s = globals.count
        globals.append(nil)
        globalNames.append(name)
        globalIndex[name] = s
        return s
    }

    public func define(_ name: String, _ value: Value) { EngineLock.run { globals[slot(name)] = value } }

    /// The value of a global, or nil when unbound (a formula is returned unevaluated).
    public func global(_ name: String) -> Value? { EngineLock.run { globalIndex[name].flatMap { globals[$0] } } }

    /// True when a global formula among `names`, or one they lead to, reads `target`.
    func formulaReaches(_ target: String, from names: Set<String>) -> Bool {
        var seen = Set<String>(), work = Array(names)
        while let n = work.popLast() {
            guard seen.insert(n).inserted, case .formula(let f)? = global(n) else { continue }
            if f.names.contains(target) { return true }
            work.append(contentsOf: f.names)
        }
        return false
    }

    /// The user's variables (bound names that are not untouched builtins), in definition order.
    public var userVariables: [(String, Value)] {
        var out: [(String, Value)] = []
        for (i, name) in globalNames.enumerated() {
            guard let v = globals[i], name != "args", name != "_" else { continue }
            if i < builtinNames.count, let original = pristine[name], sameObject(original, v) { continue }
            out.append((name, v))
        }
        return out
    }

    /// The builtin values as installed, to tell a shadowed builtin from an untouched one.
    var pristine: [String: Value] = [:]

    func sameObject(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.function(let x), .function(let y)): return x === y
        case (.number(let x), .number(let y)): return x.bitPattern == y.bitPattern
        default: return false
        }
    }

    /// Every name bound now: globals and, in a call, nothing else (for suggestions).
    public var boundNames: [String] { globalNames.enumerated().compactMap { globals[$0.offset] == nil ? nil : $0.element } }

    /// Drops every user variable and restores the builtins.
    public func reset() {
        EngineLock.run {
            for i in globals.indices { globals[i] = nil }
            for (name, v) in pristine { globals[globalIndex[name]!] = v }
            define("args", .list(ListRef(scriptArgs.map { .string($0) })))
        }
    }

    // MARK: running

    @inline(__always)
    func checkInterrupt() throws {
        if interruptFlag.pointee != 0 {
            throw BPError(.interrupted, "interrupted", at: nil)
        }
    }

    /// The engine state the tensor kernels of this interpreter's thread see.
    public let engine: Engine

    /// One label per variable name, shared by every tensor bound to it.
    var nameLabels: [String: Label] = [:]
    func nameLabel(_ name: String) -> Label {
        if let l = nameLabels[name] { return l }
        let l = Label(name: name)
        nameLabels[name] = l
        return l
    }

    /// Binds `v` to global `slot` named `name` at the top level (`bindTopLevel`), with the
    /// training-update note when it replaces a leaf; the old value is let go of through
    /// `Values.dispose` (kept whole when that was its last reference).
    @inline(__always)
    func bindGlobal(_ slot: Int, _ name: String, label: Label, _ v: consuming Value) {
        let new = bindTopLevel(v, name, label: label)
        // the old value moved out first and looked at here (a switch over the slot copied
        // it, a reference count up and down at every binding)
        let old = globals[slot].take()
        if !notedTrainingUpdate { noteIfTrainingUpdate(new, replacing: old, name) }
        globals[slot] = consume new
        Values.dispose(old)
    }

    /// Leaf rule: a value bound to a name at the top level that depends on no graph node
    /// becomes a leaf named after the variable; a node gets the name if it has none.
    /// (`v` consumed: it is handed back, not copied.)
    func bindTopLevel(_ v: consuming Value, _ name: String, label: Label? = nil) -> Value {
        guard Engine.gradEnabledNow else { return v }
        if case .tensor(let t) = v {
            if t.kind == .node {
                if !notedNonFinite, !t.isFinite {
                    notedNonFinite = true
                    noteOutput(Interpreter.nonFiniteNote(t, name) + "\n")
                }
            }
            if t.requiresGrad {
                if !t.hasName { t.label = label ?? nameLabel(name) }
            } else if !t.isMarkedConstant {
                t.makeLeaf(label ?? nameLabel(name))
            }
            return v
        }
        if case .number(let d) = v {
            let t = Tensor(scalar: d, kind: .leaf)
            t.label = label ?? nameLabel(name)
            return .tensor(t)
        }
        return v
    }

    /// The one-time note when `name = new` replaces the leaf `old` by a node computed from it
    /// and its gradient (the training-update pattern); grad mode on, as for every leaf rule.
    private func noteIfTrainingUpdate(_ new: borrowing Value, replacing old: borrowing Value?, _ name: String) {
        switch new {
        case .tensor(let t):
            guard t.kind == .node else { return }
            switch old {
            case .some(.tensor(let leaf)):
                guard leaf.kind == .leaf, Engine.gradEnabledNow, Interpreter.isTrainingUpdate(t, of: leaf) else { return }
            default:
                return
            }
        default:
            return
        }
        notedTrainingUpdate = true
        noteOutput("note: '\(name) = ...' made '\(name)' a new node computed from its old value and its gradient, so it is "
            + "no longer a leaf and the graph grows with every update (training slows down more and more); "
            + "update it in place with '\(name) -= lr * \(name).grad' (or inside nograd { })\n")
    }

    /// True when the graph of `t` reads both `leaf` and a `.grad` snapshot of it: the
    /// training-update pattern `W = W - lr * W.grad` (an accumulator `s = s + x` is not one).
    /// The walk is bounded: the pattern shows near the top of the graph.
    static func isTrainingUpdate(_ t: Tensor, of leaf: Tensor) -> Bool {
        var seen = Set<ObjectIdentifier>(), work = [t]
        var readsLeaf = false, readsGradient = false
        while let x = work.popLast(), seen.count < 10_000 {
            guard seen.insert(ObjectIdentifier(x)).inserted else { continue }
            if x === leaf { readsLeaf = true }
            if x.isGradient(of: leaf) { readsGradient = true }
            if readsLeaf && readsGradient { return true }
            work.append(contentsOf: x.inputs)
        }
        return false
    }

    /// "note: 'L' holds nan; the first nan or inf in its graph comes from log in (log(p))":
    /// the earliest node of the graph (inputs first) whose inputs are finite but whose values
    /// are not, or a leaf that already holds such values (a diverging update).
    static func nonFiniteNote(_ t: Tensor, _ name: String) -> String {
        let kind = t.data.contains(where: \.isNaN) ? "nan" : "inf"
        var text = "note: '\(name)' holds \(kind)"
        let order = Backward.topologicalOrder(t)
        for x in order.prefix(100_000) where x.data.contains(where: { !$0.isFinite }) {
            if let op = x.op {
                guard x.inputs.allSatisfy({ $0.data.allSatisfy(\.isFinite) }) else { continue }
                text += "; the first nan or inf in its graph comes from '\(op.symbol)' in \(x.operandLabel)"
                switch op.symbol {
                case "log": text += " (log of 0 is -inf, of a negative number nan)"
                case "sqrt": text += " (the square root of a negative number is nan)"
                case "/": text += " (a division by 0)"
                case "exp": text += " (exp of a large number overflows to inf)"
                default: break
                }
            } else {
                text += "; it comes from the leaf '\(x.labelText)', which already holds nan or inf "
                    + "(an update too large? try a smaller learning rate)"
            }
            return text
        }
        return text
    }

    /// Calls a function with evaluated arguments.
    func call(_ f: Function, _ args: Arguments) throws -> Value {
        try checkInterrupt()
        switch f.body {
        case .builtin(let b):
            return try run(b, try BoundArgs(b, args), at: args.loc)
        case .user(let u):
            // the same frame as a call by position; what is bound into it is checked here
            return try callUser(u, { i, newBase in
                // every parameter by position (the usual call) needs no check; binding
                // errors are the caller's (no traceback entry)
                let binding = args.keywords.isEmpty && args.positional.count == u.params.count ? nil
                    : try Binding(f.name, u.params, variadic: false, hasDefault: { u.defaults[$0] != nil }, args)
                for (k, v) in args.positional.enumerated() { i.stack[newBase + k] = v }
                for (k, slot) in (binding?.keywordSlots ?? []).enumerated() {
                    if let slot { i.stack[newBase + slot] = args.keywords[k].1 }
                }
                // The frame is reserved and the call counted before a default is evaluated: a
                // default argument that calls a function (even this one) gets a frame of its
                // own above this one and is counted in the depth.
                i.top = newBase + u.slots
                i.callDepth += 1
                defer { i.callDepth -= 1 }
                do {
                    for k in 0..<u.params.count where i.stack[newBase + k] == nil {
                        i.stack[newBase + k] = try u.defaults[k]!.run(i)
                    }
                } catch {
                    throw i.inside(u, error, calledAt: args.loc)
                }
            }, at: args.loc)
        }
    }

    /// An error from inside a call of `u`: it lists the call (and shows `u`'s source). Out
    /// of line: the calls that use it stay small.
    @inline(never)
    func inside(_ u: UserCode, _ error: Error, calledAt loc: SourceLocation?) -> Error {
        guard var e = error as? BPError else { return error }
        if e.source == nil { e.source = u.source.string }
        e.traceback.append(.init(function: u.name, call: loc))
        return e
    }

    /// The usual call of a user function: every parameter given by position. The arguments
    /// are evaluated straight into the new frame (no argument array): `eval(i, base)` stores
    /// argument k at `base + k` and raises `top` past it, so a call inside an argument gets
    /// a frame above the ones already stored. Slots at and above `top` are always unbound.
    @inline(__always)
    func callUser(_ u: UserCode, _ eval: (Interpreter, Int) throws -> Void, at loc: SourceLocation?) throws -> Value {
        try enterCall(u, at: loc)
        let newBase = top
        reserveStack(newBase + u.slots)
        do { try eval(self, newBase) } catch {
            popFrame(newBase)
            throw error
        }
        return try frame(.passUnretained(u), at: newBase, calledAt: loc)
    }

    /// The code of the user function global `slot` holds, when it takes `arity` parameters,
    /// unretained: the interpreter keeps every function's code it compiled (`compiledCode`),
    /// so a call needs no reference of its own (a retain and a release each call), even if
    /// the global is rebound while the call runs.
    @inline(__always)
    /// The element-wise function of the builtin in global `slot` (`sigmoid`, `exp`), if it
    /// holds one.
    func unaryBuiltin(_ slot: Int) -> UnaryFunction? {
        switch globals[slot] {
        case .some(.function(let fn)):
            if case .builtin(let b) = fn.body { return b.unary }
            return nil
        default: return nil
        }
    }

    @inline(__always)
    func userFunction(_ slot: Int, arity: Int) -> Unmanaged<UserCode>? {
        guard case .function(let fn)? = globals[slot], case .user(let u) = fn.body, u.params.count == arity else { return nil }
        return Unmanaged.passUnretained(u)
    }

    /// Looks at Ctrl-C and at the depth before a call (and before its arguments).
    @inline(__always)
    func enterCall(_ u: UserCode, at loc: SourceLocation?) throws {
        try enterCall(.passUnretained(u), at: loc)
    }

    @inline(__always)
    func enterCall(_ u: Unmanaged<UserCode>, at loc: SourceLocation?) throws {
        try checkInterrupt()
        if callDepth >= maxCallDepth || !stackGuard.hasRoom() { throw tooDeep(u, at: loc) }
    }

    /// The error of a call too deep (out of line: the calls that check stay small).
    @inline(never)
    func tooDeep(_ u: Unmanaged<UserCode>, at loc: SourceLocation?) -> BPError {
        BPError.runtime("recursion too deep: more than \(callDepth) nested calls (is a base case missing in '\(u.takeUnretainedValue().name)'?)", at: loc)
    }

    /// Runs `u` in a new frame at `newBase`, where its arguments are stored (the stack has
    /// room for its slots; the call is already checked by `enterCall`). `u` is unretained:
    /// the caller keeps it (see `userFunction`).
    @inline(__always)
    func frame(_ u: Unmanaged<UserCode>, at newBase: Int, calledAt loc: SourceLocation?) throws -> Value {
        let savedBase = base
        top = newBase + u._withUnsafeGuaranteedRef { $0.slots }
        callDepth += 1
        base = newBase
        defer {
            popFrame(newBase)
            base = savedBase
            callDepth -= 1
        }
        do {
            return try u._withUnsafeGuaranteedRef { try $0.body(self) }
        } catch {
            throw inside(u.takeUnretainedValue(), error, calledAt: loc)
        }
    }

    /// Empties the slots from `newBase` up and lowers `top` to it.
    func popFrame(_ newBase: Int) {
        for k in newBase..<top { unbind(k) }
        top = newBase
    }

    /// Runs a builtin's body; its errors are reported at the call.
    @inline(__always)
    func run(_ b: Builtin, _ bound: BoundArgs, at loc: SourceLocation?) throws -> Value {
        do {
            return try b.body(self, bound)
        } catch var e as BPError {
            if e.location == nil { e.location = loc }
            throw e
        } catch let e as TensorError {
            throw BPError(e, at: loc)
        } catch let e as FormatError {
            throw BPError.runtime(e.message, at: loc)
        }
    }

    /// The usual call of a builtin: every argument by position (`Builtin.takesByPosition`),
    /// evaluated into one array that becomes the bound arguments.
    func callBuiltin(_ b: Builtin, _ args: [CodeBox], at loc: SourceLocation, label: Label?, argumentLabels: [Label?]) throws -> Value {
        // the argument array comes from a pool and goes back to it: no allocation a call
        // (a builtin that keeps its arguments leaves the array shared; emptying it then
        // copies, so what it kept is untouched)
        var values = argumentArrays.popLast() ?? []
        values.reserveCapacity(Swift.max(args.count, b.names.count))
        for a in args { values.append(try a.run(self)) }
        try checkInterrupt()
        let result = try run(b, BoundArgs(positional: values, b, loc: loc, label: label, argumentLabels: argumentLabels), at: loc)
        values.removeAll(keepingCapacity: true)
        if argumentArrays.count < 64 { argumentArrays.append(values) }
        return result
    }

    /// Emptied argument arrays for `callBuiltin` to reuse.
    var argumentArrays: [[Value]] = []

    /// Calls a callable host object (`net(X)`); its errors are reported at the call.
    func call(_ obj: CallableHostObject, _ args: Arguments) throws -> Value {
        try checkInterrupt()
        do {
            return try obj.call(self, args)
        } catch var e as BPError {
            if e.location == nil { e.location = args.loc }
            throw e
        } catch let e as TensorError {
            throw BPError(e, at: args.loc)
        }
    }

    /// "; did you mean 'sigmoid'?" when a known name is close enough, else "".
    func suggestion(_ name: String, _ candidates: [String]) -> String { Suggest.didYouMean(name, candidates) }

    func write(_ s: String) { output(s) }
}
