import Testing
import BPTensor
@testable import BPNet

@Suite struct SpiralLessonTests {
    /// The spiral lesson (issue 9, must show): spiral(300, 0.2) — two arms of two turns each,
    /// with noise — learned by a 2-32-32-1 tanh mlp with a sigmoid output, mean BCE and
    /// adam(lr=0.03), 600 full-batch epochs, to at least 95% of the points right. The same
    /// run as examples/spiral.bp (about 1 s in a release build, 9 in a debug one).
    @Test func spiralTrainsToNinetyFivePercent() throws {
        let engine = Engine()
        engine.makeCurrent()
        engine.random.seed(0)
        let points = DataSets.spiral(n: 300, noise: 0.2, random: &engine.random)
        let X = Tensor(shape: [300, 2], data: (0..<300).flatMap { [points.x[$0], points.y[$0]] })
        let y = Tensor(shape: [300, 1], data: points.label)
        let net = try Sequential.mlp([2, 32, 32, 1], act: Activation(.tanh), out: Activation(.sigmoid))
        var trainer = Trainer(model: net, loss: Loss.named("bce")!, optimizer: Adam(lr: 0.03))
        trainer.epochs = 600
        let result = try trainer.run(X, y)
        #expect(result.stop == .finished)
        #expect(result.history.last! < result.history.first! / 4, "the loss fell: \(result.history.first!) -> \(result.history.last!)")
        let p = try engine.withGrad(false) { try net.forward(X) }
        let right = zip(p.data, points.label).filter { ($0 > 0.5 ? 1.0 : 0.0) == $1 }.count
        let accuracy = Double(right) / 300
        #expect(accuracy >= 0.95, "accuracy \(accuracy)")
    }
}
