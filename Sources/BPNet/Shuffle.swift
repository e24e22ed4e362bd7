import BPTensor

public enum Shuffle {
    /// 0..<n in the order NumPy's legacy `np.random.permutation(n)` gives after the same
    /// seed: Fisher–Yates from the last position down, j drawn by masked rejection from
    /// 32-bit draws (`random_interval`).
    public static func permutation(_ n: Int, _ random: inout MersenneTwister) -> [Int] {
        var p = Array(0..<n)
        var i = n - 1
        while i >= 1 {
            let j = interval(UInt32(i), &random)
            p.swapAt(i, Int(j))
            i -= 1
        }
        return p
    }

    /// A uniform whole number in 0...max (NumPy's legacy `random_interval` for max < 2^32).
    static func interval(_ max: UInt32, _ random: inout MersenneTwister) -> UInt32 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let v = random.nextUInt32() & mask
            if v <= max { return v }
        }
    }
}
