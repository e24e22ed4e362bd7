import Foundation

/// NumPy's legacy random generator (`np.random.seed`, `rand`, `randn`, `uniform`):
/// MT19937 seeded by `init_genrand`, 53-bit doubles from two draws, Gaussians by the polar
/// method keeping the second value for the next call.
public struct MersenneTwister {
    var mt = [UInt32](repeating: 0, count: 624)
    var index = 625
    var nextGauss: Double? = nil

    public init(seed: UInt32) { self.seed(seed) }

    /// `init_genrand(s)`; also forgets a kept Gaussian.
    public mutating func seed(_ s: UInt32) {
        mt[0] = s
        for i in 1..<624 {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
        nextGauss = nil
    }

    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 {
            for i in 0..<624 {
                let y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % 624] & 0x7fff_ffff)
                var v = mt[(i + 397) % 624] ^ (y >> 1)
                if y & 1 != 0 { v ^= 0x9908_b0df }
                mt[i] = v
            }
            index = 0
        }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `random_sample`: ((a >> 5) * 67108864 + (b >> 6)) / 2^53.
    public mutating func nextDouble() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864 + b) / 9_007_199_254_740_992
    }

    /// `legacy_gauss`: the polar method; the second value is kept for the next call.
    public mutating func nextGaussian() -> Double {
        if let g = nextGauss {
            nextGauss = nil
            return g
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2 * nextDouble() - 1
            x2 = 2 * nextDouble() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * Foundation.log(r2) / r2).squareRoot()
        nextGauss = f * x1
        return f * x2
    }
}
