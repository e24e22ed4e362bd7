/// The tensors a dying graph still has to take apart (`Tensor.release`): a stack in a raw
/// buffer. An `Array<Tensor>` looked up its generic metadata in the runtime's tables at each
/// allocation (~450 instructions, callgrind), paid by every node freed with a chain behind it.
struct ReleaseStack: ~Copyable {
    private var base: UnsafeMutablePointer<Tensor>?
    private var count = 0
    private var capacity = 0

    init() {}

    mutating func push(_ t: consuming Tensor) {
        if count == capacity {
            let bigger = Swift.max(8, capacity * 2)
            let fresh = UnsafeMutablePointer<Tensor>.allocate(capacity: bigger)
            if let base {
                fresh.moveInitialize(from: base, count: count)
                base.deallocate()
            }
            base = fresh
            capacity = bigger
        }
        (base! + count).initialize(to: t)
        count += 1
    }

    mutating func pop() -> Tensor? {
        guard count > 0 else { return nil }
        count -= 1
        return (base! + count).move()
    }

    deinit {
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }
}
