import Foundation

/// The limits every tensor shape is checked against before anything is allocated: the
/// one checked path from a shape to an element count (as Lua checks every size through
/// `luaL_checkinteger`), so no shape product can overflow or allocate past the limit.
public enum Limits {
    /// `BP_MAX_ELEMENTS`, else 2^28 (2 GiB of Float64).
    public static let maxElements: Int = {
        if let s = ProcessInfo.processInfo.environment["BP_MAX_ELEMENTS"], let n = Int(s), n > 0 { return n }
        return 1 << 28
    }()
    /// NumPy's limit on dimensions.
    public static let maxRank = 64

    /// The number of elements of `shape`; throws when a size is negative, the rank is past
    /// NumPy's 64, or the count (or any one size) exceeds `maxElements`.
    @discardableResult
    public static func count(_ shape: [Int]) throws -> Int {
        if shape.count > maxRank { throw TensorError.tooManyDimensions(rank: shape.count) }
        var total = 1
        for d in shape {
            if d < 0 { throw TensorError.negativeSize(shape: shape) }
            // each size on its own too: a (0, 2^53) tensor is empty, but summing its first
            // axis would allocate 2^53 numbers
            if d > maxElements { throw TensorError.tooLarge(shape: shape, limit: maxElements) }
            let (p, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow || p > maxElements { throw TensorError.tooLarge(shape: shape, limit: maxElements) }
            total = p
        }
        return total
    }
}
