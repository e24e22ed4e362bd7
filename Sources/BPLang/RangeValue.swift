import BPTensor

/// `range(a, b, step)`: a lazy sequence of whole numbers.
public struct RangeValue {
    public let start: Int, stop: Int, step: Int
    public var count: Int {
        if step > 0 { return start < stop ? (stop - start + step - 1) / step : 0 }
        return start > stop ? (start - stop - step - 1) / -step : 0
    }
    public func element(_ i: Int) -> Int { start + i * step }
}
