import Foundation
import BPTensor

/// The training loop of `train` (SPEC §8). Each epoch: for each batch, forward, loss,
/// backward, optional gradient clipping, one optimizer step. It prints nothing: the host
/// hears of each epoch through `onEpoch` and stops it through `shouldStop`.
public struct Trainer {
    public let model: Module
    public let loss: Loss
    public let optimizer: Optimizer
    public var epochs = 1000
    /// 0: full batch; k: shuffled batches of k rows (the last one smaller).
    public var batch = 0
    /// The total gradient norm is clipped to this before each step.
    public var clip: Double? = nil
    /// Asked after each epoch (Ctrl-C): true stops training, keeping what was learned.
    public var shouldStop: () -> Bool = { false }
    /// Called after each epoch with its number (from 0) and its loss.
    public var onEpoch: (Int, Double) -> Void = { _, _ in }

    public init(model: Module, loss: Loss, optimizer: Optimizer) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
    }

    public enum Stop: Equatable {
        case finished
        /// `shouldStop` said so after this many epochs (an error thrown while it says so, such
        /// as Ctrl-C inside a loss written in the host language, ends the epoch it came in).
        case interrupted(epochs: Int)
        /// The loss of this epoch was nan or inf; no update was made from it.
        case nonFinite(epoch: Int, loss: Double)
    }

    public struct Result {
        /// The loss before each update, one per epoch (batches: their mean weighted by size).
        public var history: [Double] = []
        public var stop = Stop.finished
        public var seconds = 0.0
    }

    public func run(_ X: Tensor, _ y: Tensor) throws -> Result {
        guard X.rank == 2, y.rank >= 1, X.shape[0] == y.shape[0] else { throw NetError.trainShapes(x: X.shape, y: y.shape) }
        let n = X.shape[0]
        guard n > 0 else { throw NetError.emptyData }
        // the data as constants: no gradient is computed for it
        let x = Tensor(shape: X.shape, data: X.data), t = Tensor(shape: y.shape, data: y.data)
        let parameters = model.parameters
        let engine = Engine.current
        let start = Date()
        var result = Result()
        result.history.reserveCapacity(epochs)
        try engine.withGrad(true) {
            for epoch in 0..<epochs {
                let total: Double
                do {
                    guard let loss = try self.epoch(epoch, x, t, n, parameters, engine, &result) else { return }
                    total = loss
                } catch where shouldStop() {
                    result.stop = .interrupted(epochs: epoch)
                    return
                }
                result.history.append(total)
                onEpoch(epoch, total)
                if shouldStop() {
                    if epoch < epochs - 1 { result.stop = .interrupted(epochs: epoch + 1) }
                    return
                }
            }
        }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// One epoch's updates; its loss, or nil when a loss was not finite (the stop is set).
    func epoch(_ epoch: Int, _ x: Tensor, _ t: Tensor, _ n: Int, _ parameters: [Tensor], _ engine: Engine,
               _ result: inout Result) throws -> Double? {
        var total = 0.0
        if batch <= 0 || batch >= n {
            total = try update(x, t, parameters)
            guard total.isFinite else {
                result.stop = .nonFinite(epoch: epoch, loss: total)
                return nil
            }
        } else {
            let order = Shuffle.permutation(n, &engine.random)
            var lo = 0
            while lo < n {
                let rows = Array(order[lo..<min(lo + batch, n)])
                let l = try update(Trainer.rows(x, rows), Trainer.rows(t, rows), parameters)
                guard l.isFinite else {
                    result.stop = .nonFinite(epoch: epoch, loss: l)
                    return nil
                }
                total += l * Double(rows.count)
                lo += batch
            }
            total /= Double(n)
        }
        return total
    }

    /// One forward, backward and step on a batch; the loss before the step. A non-finite
    /// loss makes no step.
    func update(_ x: Tensor, _ y: Tensor, _ parameters: [Tensor]) throws -> Double {
        let l = try loss(model.forward(x), y)
        guard l.count == 1 else { throw TensorError.notScalar(shape: l.shape) }
        let value = l.scalar
        guard value.isFinite else { return value }
        try Backward.run(l)
        if let clip { ClipGrad.apply(parameters, maxNorm: clip) }
        optimizer.step(parameters)
        return value
    }

    /// The rows of a constant tensor, in the order given.
    static func rows(_ t: Tensor, _ rows: [Int]) -> Tensor {
        let width = t.count / max(t.shape[0], 1)
        var d: [Double] = []
        d.reserveCapacity(rows.count * width)
        let src = t.data
        for r in rows { d.append(contentsOf: src[(r * width)..<((r + 1) * width)]) }
        var shape = t.shape
        shape[0] = rows.count
        return Tensor(shape: shape, data: d)
    }
}
