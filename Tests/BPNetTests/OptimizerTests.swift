import Testing
import BPTensor
@testable import BPNet

/// The optimizers' first three steps against NumPy. The expected numbers were printed by
/// this NumPy loop (python3, numpy; the gradient is that of sum(p^3) - sum(p), 3 p^2 - 1):
///
///     p = np.array([0.5, -1.0, 2.0]); v = np.zeros(3)            # sgd(lr=0.1, momentum=0.9)
///     for t in range(3): g = 3*p**2 - 1; v = 0.9*v + g; p = p - 0.1*v
///     p = np.array([0.5, -1.0, 2.0]); m = np.zeros(3); v = np.zeros(3)   # adam(lr=0.01)
///     for t in range(1, 4):
///         g = 3*p**2 - 1; m = 0.9*m + 0.1*g; v = 0.999*v + 0.001*g*g
///         p = p - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
@Suite struct OptimizerTests {
    func run(_ opt: Optimizer) -> [[Double]] {
        let p = Tensor(shape: [3], data: [0.5, -1.0, 2.0], kind: .leaf)
        var steps: [[Double]] = []
        for _ in 0..<3 {
            p.grad = p.data.map { 3 * $0 * $0 - 1 }
            opt.step([p])
            steps.append(p.data)
        }
        return steps
    }

    func expectClose(_ a: [[Double]], _ b: [[Double]], tol: Double = 1e-12) {
        for (x, y) in zip(a, b) {
            for (u, v) in zip(x, y) { #expect(abs(u - v) <= tol, "\(x) vs \(y)") }
        }
    }

    @Test func momentumSGDMatchesNumPy() {
        expectClose(run(SGD(lr: 0.1, momentum: 0.9)), [
            [0.525, -1.2, 0.8999999999999999],
            [0.5648125, -1.712, -0.2330000000000001],
            [0.604939801953125, -2.9520831999999997, -1.1689867000000003],
        ])
    }

    @Test func adamMatchesNumPy() {
        expectClose(run(Adam(lr: 0.01)), [
            [0.5099999996, -1.00999999995, 1.990000000009091],
            [0.5199456944863123, -1.0200066384957327, 1.9800030015575067],
            [0.5297859836532051, -1.0300241806083805, 1.970011021668946],
        ])
    }

    @Test func plainSGDKeepsNoState() {
        let opt = SGD(lr: 0.5)
        _ = run(opt)
        #expect(opt.velocity.isEmpty)
    }

    @Test func aStepBumpsTheVersionAndSkipsParametersWithoutGradient() {
        let p = Tensor(shape: [2], data: [1, 2], kind: .leaf), q = Tensor(shape: [2], data: [3, 4], kind: .leaf)
        p.grad = [1, 1]
        let v = p.version
        Adam(lr: 0.1).step([p, q])
        #expect(p.version != v)
        #expect(q.data == [3, 4])
    }

    @Test func clippingRescalesToTheMaximumNorm() {
        let p = Tensor(shape: [2], data: [0, 0], kind: .leaf)
        p.grad = [3, 4]
        #expect(ClipGrad.apply([p], maxNorm: 1) == 5)
        #expect(abs(ClipGrad.totalNorm([p]) - 1) < 1e-6)
    }
}
