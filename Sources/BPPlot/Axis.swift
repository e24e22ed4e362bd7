import Foundation

/// One axis of a plot: the range of data it shows, linear or logarithmic, its ticks and
/// their labels, and the map from a data value to a fraction 0...1 of the axis' length.
public struct Axis: Equatable, Sendable {
    public let lo: Double
    public let hi: Double
    public let log: Bool
    public let ticks: [Double]
    public let labels: [String]

    /// An axis covering `values` (the finite ones; for a log axis the positive ones), widened
    /// by `padding` (a fraction of the span, in log space for a log axis) on each side; a
    /// range of one value is widened around it. About `tickTarget` intervals get ticks.
    public init(covering values: [Double], log: Bool = false, padding: Double = 0, tickTarget: Int = 5) {
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
        var a = usable.min() ?? (log ? 1 : 0), b = usable.max() ?? (log ? 10 : 1)
        if log {
            var la = Foundation.log10(a), lb = Foundation.log10(b)
            if lb - la < 1e-12 { la -= 0.5; lb += 0.5 }
            let pad = (lb - la) * padding
            a = Foundation.pow(10, la - pad)
            b = Foundation.pow(10, lb + pad)
        } else {
            if b - a <= Swift.max(Swift.abs(a), Swift.abs(b)) * 1e-12 {
                let d = a == 0 ? 1 : Swift.abs(a) * 0.1
                a -= d
                b += d
            }
            let pad = (b - a) * padding
            a -= pad
            b += pad
        }
        self.init(lo: a, hi: b, log: log, tickTarget: tickTarget)
    }

    /// An axis over exactly [lo, hi].
    public init(lo: Double, hi: Double, log: Bool = false, tickTarget: Int = 5) {
        self.lo = lo
        self.hi = hi
        self.log = log
        ticks = log ? Ticks.logarithmic(lo, hi, target: tickTarget) : Ticks.linear(lo, hi, target: tickTarget)
        labels = TickLabel.texts(ticks, log: log)
    }

    /// Where `v` falls: 0 at `lo`, 1 at `hi` (outside for values beyond; nan for a value a
    /// log axis cannot show).
    public func fraction(_ v: Double) -> Double {
        if log {
            guard v > 0 else { return .nan }
            return (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
        }
        return (v - lo) / (hi - lo)
    }

    /// The data value at fraction `f` of the axis (the inverse of `fraction`).
    public func value(at f: Double) -> Double {
        if log { return Foundation.pow(10, Foundation.log10(lo) + f * (Foundation.log10(hi) - Foundation.log10(lo))) }
        return lo + f * (hi - lo)
    }
}
