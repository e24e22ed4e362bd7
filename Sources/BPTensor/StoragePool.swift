import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Storages of dead tensors kept for the next results of their size, as PyTorch's caching
/// allocator keeps blocks: a training loop makes the same shapes every epoch, and a result's
/// storage and element buffer were two allocations and two frees (malloc, free and the
/// runtime's generic array deinit: about 500 of the 2,700 instructions of `a - b` on (4, 1)
/// tensors, callgrind). One pool per thread (a storage freed on a thread goes to that
/// thread's pool and is used only there: nothing is shared between threads), small: at most
/// `capacity` storages and `capacity` tensors of at most `maxCount` elements each (16 MiB at
/// most); the thread's end frees it.
///
/// A dying graph's nodes are taken apart by `Tensor.release`, which holds each node's last
/// reference: such a node is kept whole, object and storage (`tensors`), and the next result
/// of its size is that object made anew (a recorded loop freed and allocated ~12 tensor
/// objects an XOR epoch, malloc and free ~17% of its time in perf). A tensor whose last
/// reference goes elsewhere dies as usual and its storage is kept (`storages`).
///
/// A kept storage's elements are overwritten in place when it is taken
/// (`Tensor.Storage.overwrite`): if something else still shares its array (a reshape's
/// tensor, a pending transpose's source), the array is copied first, as any write does.
struct StoragePool {
    static let capacity = 32
    static let maxCount = 1 << 15
    /// Storages of dead tensors, and dead tensors with their storage.
    private var storages = Shelf<Tensor.Storage>(), tensors = Shelf<Tensor>()
    /// The buffer of the last `ReleaseStack` that was done, for the next one (nil: none).
    private var spareStack: (base: UnsafeMutablePointer<Tensor>, capacity: Int)?

    /// The key whose destructor frees a thread's pool when the thread ends; the pool itself is
    /// read from C's thread-local slot (`bp_storage_pool_slot`, see CKernels.h).
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            guard let p else { return }
            // an element array may still be shared with a value another thread uses now:
            // let go holding the engine lock (EngineLock)
            EngineLock.run {
                // the kept tensors first: their storages come back to this pool
                StoragePool.dropTensors()
                bp_set_storage_pool_slot(nil)
                let pool = p.assumingMemoryBound(to: StoragePool.self)
                pool.pointee.destroy()
                pool.deinitialize(count: 1)
                pool.deallocate()
            }
        }
        return k
    }()

    /// The calling thread's pool.
    static var current: UnsafeMutablePointer<StoragePool> {
        @inline(__always) get {
            if let p = bp_storage_pool_slot() { return p.assumingMemoryBound(to: StoragePool.self) }
            return makeCurrent()
        }
    }

    /// A pool for the calling thread, made on its first use.
    @inline(never)
    private static func makeCurrent() -> UnsafeMutablePointer<StoragePool> {
        let pool = UnsafeMutablePointer<StoragePool>.allocate(capacity: 1)
        pool.initialize(to: StoragePool())
        bp_set_storage_pool_slot(pool)
        pthread_setspecific(key, pool)  // so that the thread's end frees it
        return pool
    }

    /// A kept storage of n elements from the thread's pool, nil when there is none.
    @inline(__always)
    static func reused(_ n: Int) -> Tensor.Storage? {
        n <= maxCount ? current.pointee.storages.take(n) : nil
    }

    /// A dead tensor of n elements, reset as `Tensor.init(storage:)` makes one (its shape
    /// and elements the old ones until the caller writes them), nil when none is kept.
    @inline(__always)
    static func reusedTensor(_ n: Int) -> Tensor? {
        n <= maxCount ? current.pointee.tensors.take(n) : nil
    }

    /// Offers the storage of a dying tensor to the thread's pool. It is made ready first:
    /// dropping its gradient node may free other tensors, which offer theirs (so never
    /// inside the pool's own mutation).
    @inline(__always)
    static func recycle(_ s: consuming Tensor.Storage) {
        guard s.prepareForReuse() else { return }
        let n = s.count
        guard n > 0, n <= maxCount else { return }
        // the storage a full shelf lets go is freed after the shelf is changed
        _ = current.pointee.storages.keep(s, n)
    }

    /// Offers a node `Tensor.release` holds the last reference to, its inputs already taken:
    /// kept whole when its storage is its own and of a size worth keeping (else it dies as
    /// usual when the caller drops it).
    @inline(__always)
    static func recycle(tensor t: consuming Tensor) {
        let n = t.reset()
        guard n > 0, n <= maxCount else { return }
        // the tensor a full shelf lets go dies after the shelf is changed (its storage comes
        // back to this pool)
        let evicted = current.pointee.tensors.keep(t, n)
        _ = consume evicted
    }

    /// A done release stack's buffer (empty), nil when none is kept.
    @inline(__always)
    static func takeSpareStack() -> (base: UnsafeMutablePointer<Tensor>, capacity: Int)? {
        let pool = current
        guard let spare = pool.pointee.spareStack else { return nil }
        pool.pointee.spareStack = nil
        return spare
    }

    /// Keeps a done release stack's buffer (empty) for the next stack, or frees it when one
    /// is kept already.
    @inline(__always)
    static func keepSpareStack(_ base: UnsafeMutablePointer<Tensor>, _ capacity: Int) {
        let pool = current
        if pool.pointee.spareStack == nil {
            pool.pointee.spareStack = (base, capacity)
        } else {
            base.deallocate()
        }
    }

    /// Frees the shelves and the spare stack (the thread's end, its tensors dropped before).
    private mutating func destroy() {
        storages.destroy()
        tensors.destroy()
        spareStack?.base.deallocate()
        spareStack = nil
    }

    /// Drops the thread's kept tensors, one access of the pool at a time: a dropped tensor's
    /// storage comes back to the pool.
    static func dropTensors() {
        while let t = current.pointee.tensors.takeAny() { _ = consume t }
    }

    /// Releases everything the thread's pool keeps.
    static func removeAll() {
        dropTensors()
        current.pointee.storages.removeAll()
    }

    /// How many storages and tensors are kept.
    var keptCount: Int { storages.count + tensors.count }
    /// How many whole tensors are kept.
    var keptTensorCount: Int { tensors.count }
    /// The room of the kept release-stack buffer (0: none kept).
    var spareStackCapacity: Int { spareStack?.capacity ?? 0 }
}

/// Up to `StoragePool.capacity` objects, each with its element count, the oldest replaced
/// when full.
struct Shelf<Item: AnyObject> {
    private let items: UnsafeMutablePointer<Item>
    /// The element count of items[i], scanned by `take` without touching the objects.
    private let sizes: UnsafeMutablePointer<Int>
    private(set) var count = 0
    /// Where a full shelf puts the next item (the oldest goes: the pool follows what the
    /// program makes now, not what it made first).
    private var next = 0

    init() {
        items = .allocate(capacity: StoragePool.capacity)
        sizes = .allocate(capacity: StoragePool.capacity)
    }

    mutating func destroy() {
        removeAll()
        items.deallocate()
        sizes.deallocate()
    }

    mutating func removeAll() {
        items.deinitialize(count: count)
        count = 0
        next = 0
    }

    /// Keeps `x` of `n` elements; returns the item it replaced when full (the caller drops it
    /// once the shelf is no longer being changed).
    mutating func keep(_ x: consuming Item, _ n: Int) -> Item? {
        if count < StoragePool.capacity {
            (items + count).initialize(to: x)
            sizes[count] = n
            count += 1
            return nil
        }
        let old = (items + next).move()
        (items + next).initialize(to: x)
        sizes[next] = n
        next = (next + 1) % StoragePool.capacity
        return old
    }

    /// A kept item of n elements (the most recently kept first), nil when there is none.
    @inline(__always)
    mutating func take(_ n: Int) -> Item? {
        var i = count - 1
        while i >= 0 {
            if sizes[i] == n { return remove(at: i) }
            i -= 1
        }
        return nil
    }

    /// The most recently kept item, nil when empty.
    mutating func takeAny() -> Item? { count > 0 ? remove(at: count - 1) : nil }

    private mutating func remove(at i: Int) -> Item {
        let x = (items + i).move()
        count -= 1
        if i != count {
            (items + i).moveInitialize(from: items + count, count: 1)
            sizes[i] = sizes[count]
        }
        if next > count { next = 0 }
        return x
    }
}
