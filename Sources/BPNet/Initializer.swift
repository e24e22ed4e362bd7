import Foundation

/// How a dense layer's weights are drawn: `randn(in, out) * scale` (SPEC §8).
public enum Initializer: Equatable {
    /// scale sqrt(2 / (in + out))
    case xavier
    /// scale sqrt(2 / in)
    case he
    /// scale 0.01
    case normal
    /// the scale given
    case scale(Double)

    /// "xavier", "he" or "normal"; nil for another name.
    public init?(name: String) {
        switch name {
        case "xavier": self = .xavier
        case "he": self = .he
        case "normal": self = .normal
        default: return nil
        }
    }

    public static let names = ["xavier", "he", "normal"]

    public func scale(inputs: Int, outputs: Int) -> Double {
        switch self {
        case .xavier: return (2 / Double(inputs + outputs)).squareRoot()
        case .he: return (2 / Double(inputs)).squareRoot()
        case .normal: return 0.01
        case .scale(let s): return s
        }
    }
}
