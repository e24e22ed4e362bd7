/// Indices and axes count from the end when negative, as in Python: -1 is the last of
/// `count` positions. The one place that says so (lists, strings, ranges, axes).
enum NegativeIndex {
    /// The position `k` names among `count`, or nil when it is out of range either way
    /// (the caller words the error, naming `k` as written).
    static func resolve(_ k: Int, count: Int) -> Int? {
        let i = k < 0 ? k + count : k
        return i >= 0 && i < count ? i : nil
    }
}
