/// One kind of recorded operation, with everything the engine and the teaching tools need
/// to know about it in one place: how it computes its value (the forward, also used to
/// replay a graph with other inputs), its derivative as numbers (the fast backward pass), its
/// derivative as graph operations (`create_graph`, so a gradient can be differentiated
/// again), and its rule as text (`d(a * b)/da = b`) for `explain` and `check`.
///
/// A node stores a reference to its operation. Operations without parameters (`exp`, `+`,
/// `* constant`) are shared instances; the others (an index's offsets, `clip`'s bounds) are
/// made per node. A new operation is one subclass.
public class Operation {
    /// True for the shared instances (`OperationTable`, `shared`), which live as long as the
    /// process: a node refers to one without counting it (`Tensor.op`).
    final var isShared = false

    /// The short name shown in graphs (`exp`, `+`, `index`).
    public var symbol: String { fatalError("symbol") }

    /// The derivative rule as text, with the node's inputs called x (one input) or a and b.
    public var rule: String { fatalError("rule") }

    /// For a node keeping a constant number (`1 - y`, `y * 2`, see `Tensor.constant`): true
    /// when the constant is the left operand, false when the right; nil for other operations.
    public var constantIsLeft: Bool? { nil }

    /// Inputs beyond the node's `a` and `b` (stack and concat of three or more tensors).
    public var extraInputs: [Tensor] { [] }
    /// True when `extraInputs` may be non-empty (a graph walk skips the call otherwise).
    var hasExtraInputs: Bool { false }

    /// The value of `node` recomputed from `inputs` (the node's inputs, or replacements of
    /// the same shapes), recording nothing.
    func evaluate(_ node: Tensor, _ inputs: [Tensor]) throws -> Tensor { fatalError("evaluate") }

    /// Adds the contribution of `node`'s gradient `g` to the gradient of every input that
    /// requires one.
    func backward(_ node: Tensor, _ g: [Double], _ trace: Backward.Tracer?) throws { fatalError("backward") }

    /// The fast path of `backward` for an inline number whose inputs are inline numbers:
    /// true when done (elementwise operations), false to take the general path.
    @inline(__always) func backwardInline(_ node: Tensor) -> Bool { false }

    /// The gradient contribution of `node`'s gradient `g` to each input (in `node.inputs`
    /// order; nil for none), computed with recorded operations so that it can be
    /// differentiated again.
    func vjp(_ node: Tensor, _ g: Tensor) throws -> [Tensor?] { fatalError("vjp") }

    /// The first extra input changed in place since the node used it.
    func changedExtraInput() -> Tensor? { nil }

    /// Moves the tensors the operation keeps onto `stack` (a dying node releases its graph
    /// without recursion).
    func takeTensors(into stack: inout ReleaseStack) {}
    /// True when the operation keeps tensors (`takeTensors` has something to do).
    var keepsTensors: Bool { false }
}

/// The shared instances of one kind of operation, in a buffer that lives as long as the
/// process: looking one up retains only it (an element of a `static let` array retained and
/// released the array too, an atomic pair on every recorded operation).
struct OperationTable<Op: Operation>: @unchecked Sendable {  // written once, then only read
    private let items: UnsafeMutablePointer<Op>

    init(_ ops: [Op]) {
        for op in ops { op.isShared = true }
        items = .allocate(capacity: ops.count)
        ops.withUnsafeBufferPointer { items.initialize(from: $0.baseAddress!, count: ops.count) }
    }

    @inline(__always) subscript(i: Int) -> Op { items[i] }
}

extension Operation {
    /// `op` marked shared (for a `static let shared`).
    static func sharedInstance<Op: Operation>(_ op: Op) -> Op {
        op.isShared = true
        return op
    }
}
