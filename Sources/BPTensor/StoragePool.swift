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
/// `capacity` storages of at most `maxCount` elements each (8 MiB at most); the thread's end
/// frees it.
///
/// A kept storage's elements are overwritten in place when it is taken
/// (`Tensor.Storage.overwrite`): if something else still shares its array (a reshape's
/// tensor, a pending transpose's source), the array is copied first, as any write does.
struct StoragePool {
    static let capacity = 32
    static let maxCount = 1 << 15
    private let items: UnsafeMutablePointer<Tensor.Storage>
    /// items[i].count, scanned by `take` without touching the storages.
    private let sizes: UnsafeMutablePointer<Int>
    private var count = 0
    /// Where a full pool puts the next storage (the oldest goes: the pool follows what the
    /// program makes now, not what it made first).
    private var next = 0

    /// The key whose destructor frees a thread's pool when the thread ends; the pool itself is
    /// read from C's thread-local slot (`bp_storage_pool_slot`, see CKernels.h).
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            guard let p else { return }
            bp_set_storage_pool_slot(nil)
            // an element array may still be shared with a value another thread uses now:
            // let go holding the engine lock (EngineLock)
            EngineLock.run {
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
        n <= maxCount ? current.pointee.take(n) : nil
    }

    /// Offers the storage of a dying tensor to the thread's pool. It is made ready first:
    /// dropping its gradient node may free other tensors, which offer theirs (so never
    /// inside the pool's own mutation).
    @inline(__always)
    static func recycle(_ s: consuming Tensor.Storage) {
        guard s.prepareForReuse() else { return }
        current.pointee.keep(s)
    }

    init() {
        items = .allocate(capacity: StoragePool.capacity)
        sizes = .allocate(capacity: StoragePool.capacity)
    }

    /// Releases the kept storages and the pool's buffer (the thread's end).
    mutating func destroy() {
        removeAll()
        items.deallocate()
        sizes.deallocate()
    }

    /// Releases the kept storages.
    mutating func removeAll() {
        items.deinitialize(count: count)
        count = 0
    }

    /// How many storages are kept.
    var keptCount: Int { count }

    /// Keeps `s` (prepared: its tensor died with nothing else holding it) when its size is
    /// worth keeping, in place of the oldest kept one when the pool is full.
    private mutating func keep(_ s: consuming Tensor.Storage) {
        let n = s.count
        guard n > 0, n <= StoragePool.maxCount else { return }
        if count < StoragePool.capacity {
            (items + count).initialize(to: s)
            sizes[count] = n
            count += 1
        } else {
            // the old one is freed after the new one is in place (its release runs no code
            // that comes back here: a kept storage holds no tensor)
            let old = (items + next).move()
            (items + next).initialize(to: s)
            sizes[next] = n
            next = (next + 1) % StoragePool.capacity
            _ = consume old
        }
    }

    /// A kept storage of n elements (the most recently kept first), nil when there is none.
    mutating func take(_ n: Int) -> Tensor.Storage? {
        var i = count - 1
        while i >= 0 {
            if sizes[i] == n {
                let s = (items + i).move()
                count -= 1
                if i != count {
                    (items + i).moveInitialize(from: items + count, count: 1)
                    sizes[i] = sizes[count]
                }
                if next > count { next = 0 }
                return s
            }
            i -= 1
        }
        return nil
    }
}
