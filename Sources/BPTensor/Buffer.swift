import CKernels

/// A new array of `n` numbers, each written by `body` (handed the first element; not called
/// when `n` is 0).
///
/// `[Double](unsafeUninitializedCapacity:)` and `[Double](repeating:count:)` allocate
/// through the standard library's unspecialised `_allocateBufferUninitialized`, which looks
/// up `_ContiguousArrayStorage<Double>`'s metadata at run time each time: about 300
/// instructions an array (callgrind), 10% of the XOR lesson's loop, whose tensors have 4 to
/// 16 elements. Growing an empty array goes through code specialised here, which knows the
/// type; for a small array the appends cost less than the look-up.
@inline(__always)
func makeBuffer(_ n: Int, _ body: (UnsafeMutablePointer<Double>) throws -> Void) rethrows -> [Double] {
    if n > 32 {
        return try [Double](unsafeUninitializedCapacity: n) { b, count in
            try body(b.baseAddress!)
            count = n
        }
    }
    var x = [Double]()
    if n == 0 { return x }
    x.reserveCapacity(n)
    for _ in 0..<n { x.append(0) }
    try x.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    return x
}

/// `n` zeros (see `makeBuffer`).
@inline(__always)
func zeros(_ n: Int) -> [Double] {
    makeBuffer(n) { $0.update(repeating: 0, count: n) }
}

/// `d[i] += s[i]` for i < n (or `d[i] = 0 + s[i]` when `fresh`: what adding to zeros gives,
/// -0 made +0), `CKernels`' loops: the same IEEE additions, so the same bits, as the scalar
/// loop (a gradient's first contribution and its sum were 6% of a spiral epoch with `train`).
@inline(__always)
func addInto(_ d: UnsafeMutablePointer<Double>, _ s: UnsafePointer<Double>, _ n: Int, fresh: Bool) {
    if fresh {
        bp_zip_number(Int32(BP_ADD), s, 0, 1, d, n)
    } else {
        bp_add_into(d, s, n)
    }
}
