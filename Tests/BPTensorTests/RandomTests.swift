import Testing
@testable import BPTensor

/// Expected values printed by NumPy 2.4 (the legacy generator), e.g.
/// `python3 -c 'import numpy as np; np.random.seed(42); print(repr(np.random.rand(3).tolist()))'`.
@Suite struct RandomTests {
    @Test func randAfterSeed42() {
        var g = MersenneTwister(seed: 42)
        // np.random.seed(42); np.random.rand(3)
        #expect((0..<3).map { _ in g.nextDouble() } == [0.3745401188473625, 0.9507143064099162, 0.7319939418114051])
        // ... then np.random.randn(3)
        #expect((0..<3).map { _ in g.nextGaussian() } == [-1.1118801180469204, 0.31890218468938336, 0.2790412922001377])
    }

    @Test func keptGaussianCarriesAcrossCallsAndSeedClearsIt() {
        // np.random.seed(1); randn(1) then randn(2) equals seed(1); randn(3)
        var g = MersenneTwister(seed: 1)
        #expect((0..<3).map { _ in g.nextGaussian() } == [1.6243453636632417, -0.6117564136500754, -0.5281717522634557])
        // np.random.seed(3); randn(1); randn(1); seed(3); randn(1) -> 1.7886284734303186 again
        g.seed(3)
        #expect(g.nextGaussian() == 1.7886284734303186)
        _ = g.nextGaussian()
        g.seed(3)
        #expect(g.nextGaussian() == 1.7886284734303186)
    }

    @Test func largestSeed() {
        // np.random.seed(4294967295); np.random.rand(2)
        var g = MersenneTwister(seed: 4_294_967_295)
        #expect([g.nextDouble(), g.nextDouble()] == [0.0976320289940138, 0.9123828453026218])
    }
}
