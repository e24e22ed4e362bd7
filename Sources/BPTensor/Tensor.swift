/// An n-dimensional array of Float64 that can be a node of a computational graph.
///
/// A tensor is a reference type: binding it to a second name or passing it to a
/// function shares it, as NumPy arrays and PyTorch tensors are shared. Its values are
/// one contiguous row-major buffer; a number is a 0-d tensor (shape `[]`, one element).
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

    public var shape: [Int]
    public var data: [Double]
    /// The gradient after `backward`, same count as `data`; nil when no backward reached it.
    public var grad: [Double]?
    /// How a `.node` was computed; nil for leaves and constants.
    public internal(set) var record: Record?
    public internal(set) var kind: Kind
    /// Set by `detach`/`const`, `.grad`, `.value`: binding such a value never makes a leaf.
    public var isMarkedConstant = false
    /// Set on gradients handed out as values (`.grad`, `grad(y, x)`, `grad(fn)`): constants
    /// that a later `grad` cannot differentiate again.
    public var isGradient = false
    /// For a `.grad` snapshot, the tensor whose gradient it is.
    public weak var gradientOf: Tensor?
    /// The variable name the tensor was bound to, if any.
    public var name: String?
    /// A source label registered in `Labels` (the expression's text), or -1.
    public var site: Int32 = -1
    /// Bumped by every in-place change; graphs remember the version they used.
    public internal(set) var version: Int = 0
    /// Length of the longest chain of recorded operations ending here.
    public internal(set) var depth: Int32 = 0
    /// Scratch mark used by graph walks (see `Graph.nextMark`).
    var mark: UInt64 = 0

    public init(shape: [Int], data: [Double], kind: Kind = .constant) {
        precondition(shape.reduce(1, *) == data.count, "shape and data disagree")
        self.shape = shape
        self.data = data
        self.kind = kind
    }

    /// A 0-d tensor holding one number.
    public convenience init(scalar: Double, kind: Kind = .constant) {
        self.init(shape: [], data: [scalar], kind: kind)
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }
    public var isScalar: Bool { data.count == 1 }
    /// True for leaves and recorded nodes: operations on it are recorded when grad is enabled.
    @inline(__always) public var requiresGrad: Bool { kind != .constant }

    /// The number of a one-element tensor.
    public var scalar: Double { data[0] }

    /// Makes this tensor a leaf (named input of the graph) in place.
    public func makeLeaf(name: String?) {
        record = nil
        kind = .leaf
        depth = 0
        if let name { self.name = name }
    }

    /// The label shown in graphs and gradient listings: the bound name, else the source text.
    public var label: String {
        if let name { return name }
        if site >= 0 { return Labels.text(site) }
        if let record { return record.op.symbol }
        return kind == .constant ? Labels.describeConstant(self) : "?"
    }

    /// The label as an operand of `.grad`: `(a + a)` in parentheses, a name as it is.
    public var operandLabel: String { Labels.operand(label) }

    /// Records that the values changed in place (training update, index assignment).
    /// A recorded node loses its history and becomes a constant; a leaf stays a leaf.
    public func didChangeInPlace() {
        version &+= 1
        if kind == .node {
            record = nil
            kind = .constant
            depth = 0
        }
    }

    // Releasing a long chain recursively (the default deinit) overflows the stack at about
    // 10^5 nodes, so a dying node unlinks the inputs it uniquely owns in a loop.
    deinit {
        guard record != nil else { return }
        var stack: [Tensor] = []
        record!.appendInputs(to: &stack)
        record = nil  // no copy of the record may outlive this line, or release recurses
        while var t = stack.popLast() {
            if isKnownUniquelyReferenced(&t), t.record != nil {
                t.record!.appendInputs(to: &stack)
                t.record = nil
            }
        }
    }
}
