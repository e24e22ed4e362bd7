import Foundation

/// A tick's text: the fewest decimals that show every tick of one axis exactly ("0", "0.5",
/// "1.5", "250"), scientific notation for very large or small magnitudes ("1e-05", "2e+06").
public enum TickLabel {
    /// The label of `value` with `decimals` digits after the point (trailing zeros dropped).
    public static func text(_ value: Double, decimals: Int) -> String {
        if value == 0 { return "0" }
        let m = Swift.abs(value)
        if m >= 1e6 || m < 1e-4 { return trimmed(String(format: "%.2e", value)) }
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// The fewest decimals (at most 10) that write every one of `values` exactly enough.
    public static func decimals(_ values: [Double]) -> Int {
        let finite = values.filter { $0.isFinite && $0 != 0 }
        let scale = finite.map { Swift.abs($0) }.min() ?? 1
        for d in 0...10 {
            let p = Foundation.pow(10, Double(d))
            if finite.allSatisfy({ Swift.abs(($0 * p).rounded() / p - $0) <= scale * 1e-9 }) { return d }
        }
        return 10
    }

    /// The labels of all the ticks of one axis: on a linear axis with a common number of
    /// decimals, on a log axis each with its own.
    public static func texts(_ ticks: [Double], log: Bool) -> [String] {
        if log { return ticks.map { text($0, decimals: decimals([$0])) } }
        let d = decimals(ticks)
        return ticks.map { text($0, decimals: d) }
    }

    /// "1.50" → "1.5", "2.00e-05" → "2e-05", "-0" → "0".
    static func trimmed(_ s: String) -> String {
        var mantissa = s, exponent = ""
        if let e = s.firstIndex(of: "e") {
            mantissa = String(s[..<e])
            exponent = String(s[e...])
        }
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        if mantissa == "-0" { mantissa = "0" }
        return mantissa + exponent
    }
}
