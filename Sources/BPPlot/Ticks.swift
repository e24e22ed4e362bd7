import Foundation

/// Where an axis puts its tick marks: "nice" numbers (1, 2 or 5 times a power of ten) for a
/// linear axis, as Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990) and
/// matplotlib's `MaxNLocator` choose them; powers of ten (or 1-2-5 within one decade) for a
/// logarithmic one.
public enum Ticks {
    /// The nice step for covering `span` with about `target` intervals: 1, 2, 2.5 or 5 times a
    /// power of ten, the smallest one giving at most `target` intervals.
    public static func step(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite, target > 0 else { return 1 }
        let raw = span / Double(target)
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= raw * (1 - 1e-9) { return m * magnitude }
        return 10 * magnitude
    }

    /// The multiples of a nice step inside [lo, hi] (at most about `target` + 1 of them).
    /// An empty or single-point range gets one tick at that point.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        guard hi > lo else { return [lo] }
        let s = step(span: hi - lo, target: target)
        let first = Foundation.ceil(lo / s - 1e-9), last = Foundation.floor(hi / s + 1e-9)
        guard last >= first else { return [] }
        // k * s rather than adding s repeatedly: no drift (0.30000000000000004)
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * s
            return Swift.abs(v) < s * 1e-9 ? 0 : v
        }
    }

    /// Ticks of a logarithmic axis over [lo, hi] (both > 0): every power of ten inside, thinned
    /// to about `target` (every second, fifth... decade); with fewer than three of those, the
    /// 1-2-5 multiples, then every multiple 1...9 (every other one past `target` + 2), and
    /// failing those the linear ticks.
    public static func logarithmic(_ lo: Double, _ hi: Double, target: Int = 5) -> [Double] {
        guard lo > 0, hi >= lo, lo.isFinite, hi.isFinite else { return [] }
        let a = Int(Foundation.ceil(Foundation.log10(lo) - 1e-9)), b = Int(Foundation.floor(Foundation.log10(hi) + 1e-9))
        if b - a >= 2 {
            let every = Swift.max(1, Int(Foundation.ceil(Double(b - a + 1) / Double(target + 1))))
            let first = Int(Foundation.ceil(Double(a) / Double(every))) * every
            return stride(from: first, through: b, by: every).map { Foundation.pow(10, Double($0)) }
        }
        func multiples(_ ms: [Double]) -> [Double] {
            var out: [Double] = []
            for e in (a - 1)...(b + 1) {
                for m in ms {
                    // m * 10^e written exactly (0.3, not 0.30000000000000004)
                    let v = e < 0 ? m / Foundation.pow(10, Double(-e)) : m * Foundation.pow(10, Double(e))
                    if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { out.append(v) }
                }
            }
            return out
        }
        let coarse = multiples([1, 2, 5])
        if coarse.count >= 3 { return coarse }
        var fine = multiples([1, 2, 3, 4, 5, 6, 7, 8, 9])
        if fine.count > target + 2 { fine = stride(from: 0, to: fine.count, by: 2).map { fine[$0] } }
        return fine.count >= 2 ? fine : linear(lo, hi, target: target)
    }
}
