/// The tensors a dying graph still has to take apart (`Tensor.release`): a stack in a raw
/// buffer. An `Array<Tensor>` looked up its generic metadata in the runtime's tables at each
/// allocation (~450 instructions, callgrind), paid by every node freed with a chain behind it.
/// The buffer of a stack that is done goes back to the thread's pool for the next stack
/// (`StoragePool.spareStack`): an XOR epoch made two, a malloc and a free each.
struct ReleaseStack: ~Copyable {
    private var base: UnsafeMutablePointer<Tensor>?
    private var count = 0
    private var capacity = 0

    init() {}

    mutating func push(_ t: consuming Tensor) {
        if count == capacity {
            if base == nil, let spare = StoragePool.takeSpareStack() {
                base = spare.base
                capacity = spare.capacity
                (base! + count).initialize(to: consume t)
                count += 1
                return
            }
            let bigger = Swift.max(8, capacity * 2)
            let fresh = UnsafeMutablePointer<Tensor>.allocate(capacity: bigger)
            if let base {
                fresh.moveInitialize(from: base, count: count)
                base.deallocate()
            }
            base = fresh
            capacity = bigger
        }
        (base! + count).initialize(to: consume t)
        count += 1
    }

    mutating func pop() -> Tensor? {
        guard count > 0 else { return nil }
        count -= 1
        return (base! + count).move()
    }

    deinit {
        if let base {
            // the tensors left die first (they may use a stack of their own meanwhile)
            base.deinitialize(count: count)
            StoragePool.keepSpareStack(base, capacity)
        }
    }
}
