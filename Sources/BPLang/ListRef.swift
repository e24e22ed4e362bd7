import BPTensor

/// A list: its elements are the values themselves (tensors are shared, not copied).
public final class ListRef {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }

    // Releasing a list nested millions deep recursively would overflow the stack, so a
    // dying list takes apart the nested lists it uniquely owns in a loop.
    deinit {
        var stack: [ListRef] = []
        for case .list(let l) in items { stack.append(l) }
        if stack.isEmpty { return }
        items = []
        while var l = stack.popLast() {
            if isKnownUniquelyReferenced(&l) {
                for case .list(let inner) in l.items { stack.append(inner) }
                l.items = []
            }
        }
    }
}
