import Testing
import BPTensor
@testable import BPNet

@Suite struct TrainerTests {
    /// The XOR lesson (../shared/acceptance/xor_manual.bp): a 2-4-1 sigmoid net without
    /// biases, weights randn * 0.5 after seed 42, mean BCE (whose gradient through the
    /// sigmoid is (a2 - y) / 4, the lesson's), lr 1.0, 2001 epochs.
    @Test func xorLessonPredictions() throws {
        let engine = Engine()
        engine.makeCurrent()
        engine.random.seed(42)
        let net = try Sequential.mlp([2, 4, 1], act: Activation(.sigmoid), out: Activation(.sigmoid), bias: false,
                                     initializer: .scale(0.5))
        var trainer = Trainer(model: net, loss: Loss.named("bce")!, optimizer: SGD(lr: 1.0))
        trainer.epochs = 2001
        let (X, y) = DataSets.xor()
        let result = try trainer.run(X, y)
        #expect(result.history.count == 2001)
        #expect(result.stop == .finished)
        let p = try engine.withGrad(false) { try net.forward(X) }
        let rounded = p.data.map { ($0 * 1000).rounded() / 1000 }
        #expect(rounded == [0.017, 0.985, 0.985, 0.013])
    }

    @Test func shuffledBatchesFollowNumPysPermutation() {
        // np.random.seed(0); np.random.permutation(10)
        var r = MersenneTwister(seed: 0)
        #expect(Shuffle.permutation(10, &r) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
    }
}
