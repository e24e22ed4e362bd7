import BPTensor
import Foundation

/// What the language does with values: arithmetic, comparison, truth, equality, checked
/// whole numbers and index selection (the engine does the tensor mathematics).
/// Numbers that are not graph nodes take an inline fast path that allocates nothing.
enum Values {
    /// A value as a tensor operand, or nil when it is not numeric.
    static func tensor(_ v: Value) -> Tensor? { (try? toTensor(v)) ?? nil }

    /// A value as a tensor operand: nil when it is not numeric; a list converts by a
    /// (differentiable) stack and throws when its elements do not fit together.
    static func toTensor(_ v: Value, depth: Int = 0) throws -> Tensor? {
        switch v {
        case .tensor(let t): return t
        case .number(let d): return Tensor(scalar: d)
        case .bool(let b): return Tensor(scalar: b ? 1 : 0)
        case .list(let l): return try listToTensor(l, depth: depth)
        default: return nil
        }
    }

    /// A list of numbers or same-shaped tensors as one tensor, stacked along a new first
    /// axis as NumPy converts lists; recorded when an element is a graph node.
    static func listToTensor(_ l: ListRef, label: Label? = nil, depth: Int = 0) throws -> Tensor {
        if l.items.isEmpty { return Tensor(shape: [0], data: []) }
        // each level is a dimension: past NumPy's 64 (a list inside itself is endless) it stops
        if depth >= Limits.maxRank {
            throw BPError.runtime("a list nested more than \(Limits.maxRank) levels deep (or one that contains itself) cannot be used as a tensor")
        }
        var parts: [Tensor] = []
        parts.reserveCapacity(l.items.count)
        for item in l.items {
            guard let t = try toTensor(item, depth: depth + 1) else {
                throw BPError.runtime("a list holding a \(item.kindName) cannot be used as a tensor")
            }
            if let first = parts.first, first.shape != t.shape {
                throw BPError.runtime("the list's elements have different shapes, \(describeShape(first.shape)) and \(describeShape(t.shape)), so it is not a tensor")
            }
            parts.append(t)
        }
        return try Tensor.join(parts, axis: 0, newAxis: true, label: label)
    }

    /// Wraps a result: a 0-d constant becomes an inline number again.
    @inline(__always)
    static func wrap(_ t: Tensor) -> Value {
        // a number computed from a gradient stays a tensor: it remembers whose gradient it is
        t.kind == .constant && t.rank == 0 && !t.isMarkedConstant && !t.isGradient ? .number(t.scalar) : .tensor(t)
    }

    /// A gradient computed with `create_graph`: a tensor even when it holds one number.
    static func wrapNode(_ t: Tensor) -> Value { .tensor(t) }

    /// Lets go of a value the interpreter is done with; a tensor through `Tensor.dispose`
    /// (kept whole for a later result when this was its last reference).
    @inline(__always)
    static func dispose(_ v: consuming Value?) {
        if case .tensor(let t)? = consume v { Tensor.dispose(t) }
    }

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, label: Label?, at loc: SourceLocation) throws -> Value {
        if case .number(let x) = a, case .number(let y) = b, let bop = op.elementwise {
            return .number(bop.apply(x, y))
        }
        // a tensor and a tensor or a number (a step of every lesson's loop): the operands
        // used where they are. (Switches, no closure: `if case` and a closure capturing the
        // tensors copied both values, a reference count up and down each.)
        do {
            switch a {
            case .tensor(let x):
                switch b {
                case .tensor(let y):
                    guard let bop = op.elementwise else { return wrap(try Tensor.matmul(x, y, label: label)) }
                    return wrap(try Tensor.binary(bop, x, y, label: label))
                case .number(let c):
                    if let bop = op.elementwise { return wrap(try Tensor.binary(bop, x, constant: c, label: label)) }
                default: break
                }
            case .number(let c):
                // a number beside a tensor is kept in the node, never made a tensor of its own
                switch b {
                case .tensor(let y):
                    if let bop = op.elementwise {
                        return wrap(try Tensor.binary(bop, constant: c, y, constantOnLeft: true, label: label))
                    }
                default: break
                }
            default: break
            }
        } catch {
            throw located(error, at: loc)
        }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .string(x + y)
        case (.mul, .string(let s), _), (.mul, _, .string(let s)):
            let other = { if case .string = a { return b } else { return a } }()
            guard let d = other.asDouble else {
                throw BPError.runtime("a string can be repeated only a whole number of times, found a \(describe(other))", at: loc)
            }
            let n = try whole(d, "a string's repeat count", at: loc)
            let length = s.utf8.count.multipliedReportingOverflow(by: Swift.max(n, 0))
            guard !length.overflow, length.partialValue <= Limits.maxElements else {
                throw BPError.runtime("repeating a string of \(s.utf8.count) bytes \(n) times gives more than \(Limits.maxElements) bytes", at: loc)
            }
            return .string(n <= 0 || s.isEmpty ? "" : String(repeating: s, count: n))
        default: break
        }
        if case .list(let l) = a, l.items.isEmpty { throw emptyListArithmetic(op, at: loc) }
        if case .list(let l) = b, l.items.isEmpty { throw emptyListArithmetic(op, at: loc) }
        do {
            guard let x = try toTensor(a), let y = try toTensor(b) else {
                throw BPError.runtime("'\(op.rawValue)' needs numbers or tensors, found a \(describe(a)) and a \(describe(b))", at: loc)
            }
            guard let bop = op.elementwise else { return wrap(try Tensor.matmul(x, y, label: label)) }
            return wrap(try Tensor.binary(bop, x, y, label: label))
        } catch {
            throw located(error, at: loc)
        }
    }

    /// An error of an operation at `loc`: a tensor error as an error there, an error without
    /// a location given `loc`.
    static func located(_ error: any Error, at loc: SourceLocation) -> any Error {
        if let e = error as? TensorError { return BPError(e, at: loc) }
        if var e = error as? BPError {
            if e.location == nil { e.location = loc }
            return e
        }
        return error
    }

    /// `xs = xs + [v]` (Python's way to grow a list) would broadcast to an empty tensor and
    /// silently stay empty: one error that names append.
    static func emptyListArithmetic(_ op: BinaryOperator, at loc: SourceLocation) -> BPError {
        BPError.runtime("'\(op.rawValue)' with an empty list: a list in arithmetic is a tensor, and [] has no elements; "
            + "to add to a list use append(xs, v)", at: loc)
    }

    static func negate(_ v: Value, label: Label?, at loc: SourceLocation) throws -> Value {
        switch v {
        case .number(let d): return .number(-d)
        case .bool(let b): return .number(b ? -1 : 0)
        default:
            guard let t = tensor(v) else { throw BPError.runtime("unary '-' needs a number or tensor, found a \(describe(v))", at: loc) }
            do { return wrap(try Tensor.unary(.neg, t, label: label)) } catch let e as TensorError { throw BPError(e, at: loc) }
        }
    }

    static func unary(_ op: UnaryFunction, _ v: Value, label: Label?, name: String, at loc: SourceLocation?) throws -> Value {
        switch v {
        case .number(let d): return .number(op.apply(d))
        // (a switch, not `tensor(v)`: the tensor used where it is, not copied out)
        case .tensor(let t):
            do { return wrap(try Tensor.unary(op, t, label: label)) } catch let e as TensorError { throw BPError(e, at: loc) }
        default: break
        }
        guard let t = tensor(v) else { throw BPError.runtime("\(name)() needs a number or tensor, found a \(describe(v))", at: loc) }
        do { return wrap(try Tensor.unary(op, t, label: label)) } catch let e as TensorError { throw BPError(e, at: loc) }
    }

    // MARK: comparison and truth

    static func compare(_ op: CompareOperator, _ a: Value, _ b: Value, at loc: SourceLocation) throws -> Value {
        if a.isNumberLike && b.isNumberLike {
            let x = a.asDouble!, y = b.asDouble!
            return .bool(cmp(op, x, y))
        }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            switch op {
            case .eq: return .bool(x == y)
            case .ne: return .bool(x != y)
            case .lt: return .bool(x < y)
            case .le: return .bool(x <= y)
            case .gt: return .bool(x > y)
            case .ge: return .bool(x >= y)
            }
        default: break
        }
        if let x = tensor(a), let y = tensor(b) {
            do { return .tensor(try Broadcast.zip(x, y, op: op.rawValue) { cmp(op, $0, $1) ? 1 : 0 }) } catch let e as TensorError {
                throw BPError(e, at: loc)
            }
        }
        if op == .eq || op == .ne {
            let same: Bool
            do { same = try equal(a, b) } catch var e as BPError {
                e.location = loc
                throw e
            }
            return .bool(op == .eq ? same : !same)
        }
        throw BPError.runtime("'\(op.rawValue)' cannot compare a \(describe(a)) with a \(describe(b))", at: loc)
    }


    @inline(__always)
    static func cmp(_ op: CompareOperator, _ x: Double, _ y: Double) -> Bool {
        switch op {
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        case .eq: return x == y
        case .ne: return x != y
        }
    }

    /// Equality of values; lists compare element by element. A list that contains itself is
    /// equal to itself (Python's identity shortcut); nesting past 1000 levels is an error.
    static func equal(_ a: Value, _ b: Value, depth: Int = 0) throws -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            if depth >= Formatter.maxListDepth {
                throw BPError.runtime("lists nested more than \(Formatter.maxListDepth) levels deep cannot be compared")
            }
            guard x.items.count == y.items.count else { return false }
            for (u, v) in zip(x.items, y.items) where try !equal(u, v, depth: depth + 1) { return false }
            return true
        case (.function(let x), .function(let y)): return x === y
        case (.host(let x), .host(let y)): return x === y
        default:
            if a.isNumberLike && b.isNumberLike { return a.asDouble == b.asDouble }
            if case .tensor(let x) = a, case .tensor(let y) = b { return x.shape == y.shape && x.data == y.data }
            return false
        }
    }

    /// Python truth, except that a tensor of several elements is ambiguous.
    static func truth(_ v: Value, at loc: SourceLocation) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .number(let d): return d != 0
        case .none: return false
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .range(let r): return r.count > 0
        case .function, .formula, .host: return true
        case .tensor(let t):
            if t.count == 1 { return t.data[0] != 0 }
            throw BPError.runtime("the truth value of a \(describeShape(t.shape)) tensor is ambiguous; use any() or all()", at: loc)
        }
    }

    // MARK: counts and indices

    /// A whole number from a user value, checked (never a trap).
    /// (`what` is made only for an error: `sum(x, axis=0)` built "sum()'s axis" on every call.)
    static func whole(_ v: Value, _ what: @autoclosure () -> String, at loc: SourceLocation?) throws -> Int {
        guard let d = v.asDouble else { throw BPError.runtime("\(what()) must be a whole number, found a \(describe(v))", at: loc) }
        return try whole(d, what(), at: loc)
    }

    static func whole(_ d: Double, _ what: @autoclosure () -> String, at loc: SourceLocation?) throws -> Int {
        guard d.isFinite, d == d.rounded() else {
            // every digit that tells the number from a whole one: 3.0000000000000004
            let shown = d.isFinite ? "\(d)" : Formatter().number(d)
            throw BPError.runtime("\(what()) must be a whole number, found \(shown)", at: loc)
        }
        guard Swift.abs(d) <= 9_007_199_254_740_992 else {
            throw BPError.runtime("\(what()) is too large: \(Swift.abs(d) < 1e19 ? String(format0: d) : Formatter().number(d)) (at most 2^53 in magnitude)", at: loc)
        }
        return Int(d)
    }

    enum Selector { case at(Int), range(Int, Int, Int) }

    /// Element offsets and result shape for NumPy basic indexing (integers and slices).
    static func select(_ shape: [Int], _ items: [Selector?], at loc: SourceLocation) throws -> (offsets: [Int], shape: [Int]) {
        if items.count > shape.count {
            throw BPError.runtime("too many indices: \(items.count) for a tensor of shape \(describeShape(shape))", at: loc)
        }
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        var axes: [[Int]] = []  // the chosen positions per axis
        var outShape: [Int] = []
        for d in 0..<shape.count {
            let n = shape[d]
            let sel = d < items.count ? items[d] : nil
            switch sel {
            case .at(let k)?:
                guard let i = NegativeIndex.resolve(k, count: n) else {
                    throw BPError.runtime("index \(k) is out of range for axis \(d) with size \(n)", at: loc)
                }
                axes.append([i])
            case .range(let a, let b, let s)?:
                var list: [Int] = []
                var i = a
                while s > 0 ? i < b : i > b { list.append(i); i += s }
                axes.append(list)
                outShape.append(list.count)
            case nil:
                axes.append(Array(0..<n))
                outShape.append(n)
            }
        }
        var offsets = [0]
        for d in 0..<shape.count {
            var next: [Int] = []
            next.reserveCapacity(offsets.count * axes[d].count)
            for o in offsets { for i in axes[d] { next.append(o + i * strides[d]) } }
            offsets = next
        }
        return (offsets, outShape)
    }

    /// Python's slice.indices: clamps start/stop for a step.
    static func sliceBounds(_ start: Int?, _ stop: Int?, _ step: Int, count n: Int) -> (Int, Int, Int) {
        func clamp(_ v: Int?, _ def: Int, low: Int, high: Int) -> Int {
            guard var v else { return def }
            if v < 0 { v += n }
            return min(max(v, low), high)
        }
        if step > 0 { return (clamp(start, 0, low: 0, high: n), clamp(stop, n, low: 0, high: n), step) }
        return (clamp(start, n - 1, low: -1, high: n - 1), clamp(stop, -1, low: -1, high: n - 1), step)
    }
}
