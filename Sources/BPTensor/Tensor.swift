import CKernels

/// An n-dimensional array of Float64 that can be a node of a computational graph.
///
/// A tensor is a reference type: binding it to a second name or passing it to a
/// function shares it, as NumPy arrays and PyTorch tensors are shared. Its values are
/// one contiguous row-major buffer; a number is a 0-d tensor (shape `[]`, one element).
///
/// Layout: scalar autodiff builds millions of 0-d nodes (`y = y * 1.0001 + 0.1` in a loop),
/// so a 0-d tensor keeps its value and gradient inline and allocates nothing but the object
/// (104 bytes); a constant operand of a node (`* 1.0001`) is stored in the node, not made a
/// tensor. Everything else — the shape, the elements and the gradient of a tensor of one or
/// more dimensions, and the rarely used fields — lives in a `Storage` beside it.
public final class Tensor {
    /// What role the tensor plays in a graph.
    public enum Kind: UInt8 {
        /// Plain data: no gradient is ever computed for it.
        case constant
        /// A named input of a graph (`a = 2` at the top level): gradients land here.
        case leaf
        /// The recorded result of an operation on leaves or other nodes.
        case node
    }

    /// Shape, elements and gradient of a tensor that is not an inline number, and what few
    /// tensors need.
    final class Storage {
        var shape: [Int]
        /// The elements. The transpose `x.T` of a matrix is written out on first use: a
        /// product reads `pendingTranspose` instead and multiplies by the transpose in place
        /// (`a1.T @ dz2` copied 6,000 numbers each epoch only to read them back across rows).
        var data: [Double] {
            get {
                if pendingTranspose != nil { writeTranspose() }
                return values
            }
            _modify {
                if pendingTranspose != nil { writeTranspose() }
                // renewed however the access ends (a throw inside it included)
                defer { renewBase() }
                yield &values
            }
            set {
                pendingTranspose = nil
                values = newValue
                renewBase()
            }
        }
        private var values: [Double]
        /// For `x.T` not written out yet: x's elements (shared, not copied: a later change to
        /// x copies them first) and x's shape (n, m); this tensor is (m, n).
        private(set) var pendingTranspose: (source: [Double], n: Int, m: Int)?
        /// The address of the first element of the array held: `values`, or the source of a
        /// pending transpose. The kernels of the common operations read elements through it:
        /// reading `data` retained the storage and the array (two atomic increments and
        /// decrements, a third of a small operation's time). Valid while this storage lives
        /// and its arrays are not replaced: every change of them renews it.
        private(set) var base: UnsafePointer<Double>?
        var count: Int { pendingTranspose.map { $0.n * $0.m } ?? values.count }
        var grad: [Double]?
        /// For a `.grad` snapshot, the serial number of the tensor whose gradient it is (not a
        /// weak reference: a weakly referenced object counts its references through a side
        /// table, and the leaf every epoch's snapshot named paid that on every retain; not
        /// its ObjectIdentifier: the next tensor can get the same address, or the same
        /// object made anew, and was taken for it). 0: none.
        var gradientOf: UInt64 = 0
        /// This tensor's serial number, given when a snapshot of its gradient first names it
        /// (`Tensor.serial`); 0: none yet.
        var serial: UInt64 = 0
        /// After `backward(f, create_graph=true)`: the gradient as a graph node.
        var gradNode: Tensor?
        init(shape: [Int], data: [Double]) {
            self.shape = shape
            self.values = data
            renewBase()
        }

        /// The transpose of the (n, m) matrix `source`, written out when first read.
        init(transposeOf source: [Double], _ n: Int, _ m: Int) {
            shape = [m, n]
            values = []
            pendingTranspose = (source, n, m)
            renewBase()
        }

        /// Writes a pending transpose out (`data` and `elements` do it on first read), into
        /// the array held when it has the room (a kept storage made a transpose).
        func writeTranspose() {
            guard let (source, n, m) = pendingTranspose else { return }
            pendingTranspose = nil
            if values.count == n * m {
                source.withUnsafeBufferPointer { s in
                    values.withUnsafeMutableBufferPointer { bp_transpose(s.baseAddress!, $0.baseAddress!, n, m) }
                }
            } else {
                values = Tensor.transposed(source, n, m)
            }
            renewBase()
        }

        /// Makes this kept storage (its elements unused) the transpose of the (n, m) matrix
        /// `x` (written out first if itself a pending transpose), not written out yet: the
        /// elements it holds are written only if the transpose is (`writeTranspose`), and
        /// never read before.
        func becomeTranspose(of x: Storage, _ n: Int, _ m: Int) {
            if x.pendingTranspose != nil { x.writeTranspose() }
            if shape.count == 2 {
                shape[0] = m
                shape[1] = n
            } else {
                shape = [m, n]
            }
            // x's array and address read where they are (through `data` and `renewBase`
            // they were copied out and counted up and down)
            base = x.base
            pendingTranspose = (x.values, n, m)
        }

        /// Made ready for another tensor when its own died: its gradient and what it was a
        /// gradient of dropped, and a pending transpose's source (the elements held are
        /// overwritten by the next owner). False for a pending transpose whose array has not
        /// the room for its elements (not kept).
        func prepareForReuse() -> Bool {
            if let p = pendingTranspose {
                guard values.count == p.n * p.m else { return false }
                pendingTranspose = nil
                renewBase()
            }
            // (stored only when set: storing nil released the nil held, a call each)
            if grad != nil { grad = nil }
            gradientOf = 0
            serial = 0
            if gradNode != nil { gradNode = nil }
            return true
        }

        /// Writes all elements anew, in place (the array copied first if anything else
        /// shares it, as any write does).
        @inline(__always)
        func overwrite(_ body: (UnsafeMutablePointer<Double>) throws -> Void) rethrows {
            defer { renewBase() }
            try values.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
        }

        /// The elements as an array `body` changes in place (a pending transpose written out
        /// first): a plain call, not `data`'s modify accessor, whose coroutine frame was a
        /// malloc at every training update.
        @inline(__always)
        func withValues<R>(_ body: (inout [Double]) throws -> R) rethrows -> R {
            if pendingTranspose != nil { writeTranspose() }
            defer { renewBase() }
            return try body(&values)
        }

        private func renewBase() {
            if pendingTranspose != nil {
                base = pendingTranspose!.source.withUnsafeBufferPointer { $0.baseAddress }
            } else {
                base = values.withUnsafeBufferPointer { $0.baseAddress }
            }
        }
    }

    /// The element of an inline 0-d tensor (when `storage` is nil).
    var value0: Double
    /// Its gradient, when `hasGrad`.
    var grad0: Double = 0
    /// The constant operand of a node such as `y * 1.0001` (see `ScalarOperation`).
    public internal(set) var constant: Double = 0
    /// How a `.node` was computed; nil for leaves and constants.
    public var op: Operation? { opRef?.takeUnretainedValue() }
    /// `op` as stored: a shared operation (`Operation.isShared`) is not counted, a node's own
    /// is (`.ownsOp`). Each recorded node counted its operation up and down, a shared one
    /// nearly always (~3% of an XOR epoch).
    private var opRef: Unmanaged<Operation>?

    /// Stores `op` where nothing is stored yet.
    @inline(__always)
    private func setOp(_ op: Operation) {
        if op.isShared {
            opRef = Unmanaged.passUnretained(op)
        } else {
            opRef = Unmanaged.passRetained(op)
            flags.insert(.ownsOp)
        }
    }
    /// The node's first and second inputs (further ones are kept by the operation).
    public internal(set) var a: Tensor?
    public internal(set) var b: Tensor?
    /// The source text or name shown for the tensor.
    public var label: Label?
    var storage: Storage?
    /// The versions of `a` and `b` when this node used them.
    var versionA: UInt32 = 0, versionB: UInt32 = 0
    /// Bumped by every in-place change; graphs remember the version they used.
    public internal(set) var version: UInt32 = 0
    /// Length of the longest chain of recorded operations ending here.
    public internal(set) var depth: Int32 = 0
    public internal(set) var kind: Kind
    var flags: Flags = []
    /// Scratch state of a graph walk (`Backward.topologicalOrder`); 0 outside every walk.
    var mark: UInt8 = 0

    struct Flags: OptionSet {
        let rawValue: UInt8
        static let hasGrad = Flags(rawValue: 1)
        static let markedConstant = Flags(rawValue: 2)
        static let gradient = Flags(rawValue: 4)
        /// `opRef` holds a counted reference (a node's own operation).
        static let ownsOp = Flags(rawValue: 8)
    }

    public init(shape: [Int], data: [Double], kind: Kind = .constant) {
        precondition(shape.reduce(1, *) == data.count, "shape and data disagree")
        self.kind = kind
        if shape.isEmpty {
            value0 = data[0]
        } else {
            value0 = 0
            storage = Storage(shape: shape, data: data)
        }
    }

    /// The transpose of the (n, m) matrix `x`, written out only when its elements are read
    /// (a product multiplies by it without that).
    init(transposeOf x: [Double], _ n: Int, _ m: Int) {
        kind = .constant
        value0 = 0
        storage = Storage(transposeOf: x, n, m)
    }

    /// The source of a transpose not written out yet, as (elements, n, m) of the (n, m)
    /// matrix it transposes.
    var pendingTranspose: (source: [Double], n: Int, m: Int)? { storage?.pendingTranspose }

    /// A 0-d tensor holding one number.
    public init(scalar: Double, kind: Kind = .constant) {
        value0 = scalar
        self.kind = kind
    }

    /// True for a 0-d tensor whose value and gradient are inline (the scalar fast paths).
    @inline(__always) public var isInline: Bool { storage == nil }

    /// The address of the elements of a tensor that is not inline (a pending transpose
    /// written out first), for a kernel that reads them while the tensor lives and is not
    /// changed: no copy of the array and no reference counting (see `Storage.base`).
    @inline(__always) var elements: UnsafePointer<Double> {
        if storage!.pendingTranspose != nil { storage!.writeTranspose() }
        return storage!.base ?? Tensor.noElements
    }

    /// The elements as stored: a pending transpose's source (x of x.T) as it is.
    @inline(__always) var storedElements: UnsafePointer<Double> { storage!.base ?? Tensor.noElements }

    /// The address handed out for a tensor with no elements (never read).
    nonisolated(unsafe) static let noElements = UnsafePointer(UnsafeMutablePointer<Double>.allocate(capacity: 1))

    /// True when both tensors are stored (not inline) and have one shape (compared where
    /// they are, without copying either array).
    @inline(__always) public func sameStoredShape(_ b: Tensor) -> Bool {
        storage != nil && b.storage != nil && Tensor.sameShape(storage!.shape, b.storage!.shape)
    }

    /// A constant tensor on a storage of its own.
    init(storage: Storage) {
        kind = .constant
        value0 = 0
        self.storage = storage
    }

    /// A new constant tensor of the stored tensor `x`'s shape whose n elements `body`
    /// writes: on the storage of a dead tensor of that size when the engine kept one
    /// (`StoragePool`), else on new memory.
    @inline(__always)
    static func make(_ n: Int, shapeOf x: Tensor, _ body: (UnsafeMutablePointer<Double>) throws -> Void) rethrows -> Tensor {
        try make(n, shape: { if !Tensor.sameShape($0, x.storage!.shape) { $0 = x.storage!.shape } }, body)
    }

    /// `a == b` for shapes, inline (Array's `==` was a call of its own, 1.5% of an XOR epoch
    /// in perf); nil is no shape.
    @inline(__always)
    static func sameShape(_ a: [Int]?, _ b: [Int]) -> Bool {
        guard let a, a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// `make` for a result whose shape `shape` writes: given the kept storage's shape to
    /// change (in place where it can: a new array was an allocation), or an empty one for new
    /// memory.
    @inline(__always)
    static func make(_ n: Int, shape: (_ current: inout [Int]) -> Void, _ body: (UnsafeMutablePointer<Double>) throws -> Void) rethrows -> Tensor {
        // a dead tensor kept whole, else a dead tensor's storage, else new memory
        let kept = StoragePool.reusedTensor(n)
        if let s = kept?.storage ?? StoragePool.reused(n) {
            shape(&s.shape)
            try s.overwrite(body)
            return kept ?? Tensor(storage: s)
        }
        var fresh: [Int] = []
        shape(&fresh)
        return Tensor(shape: fresh, data: try makeBuffer(n, body))
    }

    public var shape: [Int] { storage?.shape ?? [] }
    public var count: Int { storage?.count ?? 1 }
    public var rank: Int { storage?.shape.count ?? 0 }
    public var isScalar: Bool { count == 1 }

    /// The elements, row-major. Changing them in place goes through `update`, which bumps the
    /// version (so a graph that used the old values is detected).
    public internal(set) var data: [Double] {
        get { storage?.data ?? [value0] }
        set {
            if let storage {
                precondition(newValue.count == storage.count, "data count changed")
                storage.data = newValue
            } else {
                precondition(newValue.count == 1, "data count changed")
                value0 = newValue[0]
            }
        }
        _modify {
            if let storage {
                yield &storage.data
            } else {
                var d = [value0]
                yield &d
                value0 = d[0]
            }
        }
    }

    /// True when no element is nan or ±inf (asked at every binding at the top level:
    /// `CKernels`' loop, no branch on the data).
    public var isFinite: Bool {
        if isInline { return value0.isFinite }
        return bp_all_finite(storedElements, storage!.count) != 0
    }

    /// The number of a one-element tensor.
    public var scalar: Double { storage.map { $0.data[0] } ?? value0 }

    /// The gradient after `backward`, same count as `data`; nil when no backward reached it.
    public var grad: [Double]? {
        get {
            if let storage { return storage.grad }
            return flags.contains(.hasGrad) ? [grad0] : nil
        }
        set {
            if let storage {
                storage.grad = newValue
            } else if let g = newValue {
                grad0 = g[0]
                flags.insert(.hasGrad)
            } else {
                flags.remove(.hasGrad)
            }
        }
        _modify {
            if let storage {
                yield &storage.grad
            } else {
                var g: [Double]? = flags.contains(.hasGrad) ? [grad0] : nil
                yield &g
                if let g {
                    grad0 = g[0]
                    flags.insert(.hasGrad)
                } else {
                    flags.remove(.hasGrad)
                }
            }
        }
    }

    /// Sets the gradient to zeros (before a backward pass).
    @inline(__always) func zeroGrad() {
        if let storage {
            storage.grad = [Double](repeating: 0, count: storage.count)
            storage.gradNode = nil
        } else {
            grad0 = 0
            flags.insert(.hasGrad)
        }
    }

    /// The gradient as a graph node, after `backward(f, create_graph=true)`.
    public var gradNode: Tensor? {
        get { storage?.gradNode }
        set {
            if newValue != nil { ensureStorage() }
            storage?.gradNode = newValue
        }
    }

    /// Changes the values in place and records the change (a training update, an index
    /// assignment): the only way to change a tensor's values after it is made.
    public func update<R>(_ body: (inout [Double]) throws -> R) rethrows -> R {
        defer { didChangeInPlace() }
        if let storage { return try storage.withValues(body) }
        var d = [value0]
        defer { value0 = d[0] }
        return try body(&d)
    }

    /// Moves an inline number into a `Storage` (for the rarely used fields).
    func ensureStorage() {
        if storage == nil {
            storage = Storage(shape: [], data: [value0])
            if flags.contains(.hasGrad) { storage!.grad = [grad0] }
        }
    }

    /// True for leaves and recorded nodes: operations on it are recorded when grad is enabled.
    @inline(__always) public var requiresGrad: Bool { kind != .constant }

    /// Set by `detach`/`const`, `.grad`, `.value`: binding such a value never makes a leaf.
    public var isMarkedConstant: Bool {
        get { flags.contains(.markedConstant) }
        set { if newValue { flags.insert(.markedConstant) } else { flags.remove(.markedConstant) } }
    }

    /// Set on gradients handed out as values (`.grad`, `grad(y, x)`, `grad(fn)`): constants
    /// that a later `grad` cannot differentiate again.
    public var isGradient: Bool { flags.contains(.gradient) }

    /// For a `.grad` snapshot (or a value computed from one), the serial number of the tensor
    /// whose gradient it is.
    public var gradientOf: UInt64? {
        guard let s = storage?.gradientOf, s != 0 else { return nil }
        return s
    }

    /// True when this is a `.grad` snapshot of `owner` (or a value computed from one).
    public func isGradient(of owner: Tensor) -> Bool {
        guard let g = gradientOf, let s = owner.storage?.serial else { return false }
        return g == s
    }

    /// The serial number that names this tensor in its gradient snapshots: given on first
    /// use, dropped when the tensor dies (its storage made ready for another tensor).
    func serial() -> UInt64 {
        ensureStorage()
        if storage!.serial == 0 { storage!.serial = bp_next_serial() }
        return storage!.serial
    }

    /// Marks this tensor as a gradient value, of `owner` when known.
    public func markGradient(of owner: Tensor?) {
        markGradient(ofSerial: owner?.serial())
    }

    /// Marks this tensor as a gradient value of the tensor with serial number `owner`, if any.
    public func markGradient(ofSerial owner: UInt64?) {
        flags.insert(.gradient)
        if let owner {
            ensureStorage()
            storage!.gradientOf = owner
        }
    }

    /// The variable name the tensor was bound to, if any.
    public var name: String? { label?.name }

    /// True when the tensor was bound to a variable (`name` without copying the string).
    @inline(__always) public var hasName: Bool { label != nil && label!.name != nil }

    /// Makes this tensor a leaf (named input of the graph) in place.
    public func makeLeaf(_ name: Label?) {
        detachInputs()
        kind = .leaf
        depth = 0
        if let name { label = name }
    }

    /// The label shown in graphs and gradient listings: the bound name, else the source text.
    public var labelText: String {
        if let label { return label.text }
        if let op { return op.symbol }
        return kind == .constant ? Labels.describeConstant(self) : "?"
    }

    /// The label as an operand of `.grad`: `(a + a)` in parentheses, a name as it is.
    public var operandLabel: String { Labels.operand(labelText) }

    /// Every input of a node, in order (empty for leaves and constants).
    public var inputs: [Tensor] {
        guard let op else { return [] }
        var xs: [Tensor] = []
        if let a { xs.append(a) }
        if let b { xs.append(b) }
        xs.append(contentsOf: op.extraInputs)
        return xs
    }

    /// Records that the values changed in place (training update, index assignment).
    /// A recorded node loses its history and becomes a constant; a leaf stays a leaf.
    public func didChangeInPlace() {
        version &+= 1
        if kind == .node {
            detachInputs()
            kind = .constant
            depth = 0
        }
    }

    /// Makes this tensor a node computed by `op` from `a` and `b`.
    /// The tensor is a result just made (new, or a kept one reset): no operation, inputs or
    /// label yet. The inputs and label are initialized in place, not assigned: an assignment
    /// released the nil it replaced, a call each.
    func attach(_ op: consuming Operation, _ a: Tensor, _ b: Tensor?, label: Label?) {
        assert(self.op == nil && self.a == nil && self.b == nil && self.label == nil, "attach: not a new result")
        kind = .node
        setOp(op)
        withUnsafeMutablePointer(to: &self.a) { $0.initialize(to: a) }
        withUnsafeMutablePointer(to: &self.b) { $0.initialize(to: b) }
        versionA = a.version
        versionB = b?.version ?? 0
        withUnsafeMutablePointer(to: &self.label) { $0.initialize(to: label) }
    }

    /// The first input whose values changed in place since this node used them.
    func changedInput() -> Tensor? {
        if let a, a.version != versionA { return a }
        if let b, b.version != versionB { return b }
        return op?.changedExtraInput()
    }

    /// Forgets how the tensor was computed, releasing the inputs without recursion.
    func detachInputs() {
        var stack = ReleaseStack()
        takeInputs(into: &stack)
        Tensor.release(&stack)
    }

    /// Moves the inputs (and the tensors a uniquely held operation keeps) onto `stack`.
    @inline(__always)
    func takeInputs(into stack: inout ReleaseStack) {
        // moved out, not copied (`if let x = a` and `a = nil` counted x up and down)
        if let x = a.take() { stack.push(x) }
        if let x = b.take() { stack.push(x) }
        guard let r = opRef else { return }
        opRef = nil
        // a shared operation: nothing to let go of; the node's own: the reference held
        // becomes o's
        guard flags.contains(.ownsOp) else { return }
        flags.remove(.ownsOp)
        var o = r.takeRetainedValue()
        if isKnownUniquelyReferenced(&o) && o.keepsTensors { o.takeTensors(into: &stack) }
    }

    /// Releases tensors whose last reference is on `stack`, taking their inputs apart in a
    /// loop: the default recursive release overflows the stack at about 10^5 nodes.
    static func release(_ stack: inout ReleaseStack) {
        while var t = stack.pop() {
            guard isKnownUniquelyReferenced(&t) else { continue }
            if t.op != nil { t.takeInputs(into: &stack) }
            // the last reference: the object is kept for a later result (`StoragePool`)
            StoragePool.recycle(tensor: consume t)
        }
    }

    /// Lets go of a tensor the caller holds, as dropping it would, but when that was the last
    /// reference the tensor is taken apart by `release`, so that it is kept whole for a
    /// later result (`StoragePool`) instead of dying through `deinit` (which can keep only
    /// its storage: an object freed, and another allocated for the next result). The
    /// interpreter calls it for the values it drops: a variable's old value when it is
    /// bound anew, the right side of `W -= lr * dW` once applied.
    public static func dispose(_ t: consuming Tensor) {
        var t = t
        guard isKnownUniquelyReferenced(&t) else { return }
        var stack = ReleaseStack()
        stack.push(consume t)
        release(&stack)
    }

    /// Makes a dead tensor (no inputs left, nothing else holding it) a fresh constant on its
    /// own storage, as `init(storage:)` makes one, for `StoragePool`; returns its element
    /// count. 0 when its storage is shared, or a pending transpose without an array of its
    /// own to write into (`Storage.prepareForReuse`); then it dies as usual.
    func reset() -> Int {
        // (the storage used where it is: moved out and back, it was released as nil)
        guard op == nil, a == nil, b == nil, isKnownUniquelyReferenced(&storage),
              storage!.prepareForReuse() else { return 0 }
        let n = storage!.count
        label = nil
        kind = .constant
        flags = []
        version = 0
        versionA = 0
        versionB = 0
        depth = 0
        mark = 0
        constant = 0
        value0 = 0
        grad0 = 0
        return n
    }

    /// True when `x` dies with the node that holds it and has inputs of its own to take apart.
    @inline(__always)
    static func diesWithInputs(_ x: inout Tensor?) -> Bool {
        isKnownUniquelyReferenced(&x) && x!.op != nil
    }

    deinit {
        // the storage kept for a later result of its size (`StoragePool`)
        if storage != nil, isKnownUniquelyReferenced(&storage) { StoragePool.recycle(storage.take()!) }
        guard let r = opRef else { return }
        // Most nodes die while their inputs live on (named variables, the rest of the graph),
        // or with inputs that have none of their own (a constant, a snapshot): then no chain
        // is freed (an input with no operation returns from its deinit at once) and no
        // stack is made
        if !r.takeUnretainedValue().keepsTensors && !Tensor.diesWithInputs(&a) && !Tensor.diesWithInputs(&b) {
            if flags.contains(.ownsOp) { r.release() }
            return
        }
        var stack = ReleaseStack()
        takeInputs(into: &stack)
        Tensor.release(&stack)
    }
}
