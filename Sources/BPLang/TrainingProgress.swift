/// A display of `train`'s progress, which the front end installs when standard output is a
/// terminal (`Interpreter.trainingProgress`); the library only reports, through the
/// trainer's per-epoch callback, and draws nothing itself. Not on a terminal, `train`
/// prints plain lines instead (SPEC §8).
public protocol TrainingProgress: AnyObject {
    /// Training of `epochs` epochs begins.
    func start(epochs: Int)
    /// Epoch `epoch` (from 0) ended with this loss. Called after every epoch: the display
    /// decides how often to redraw.
    func epoch(_ epoch: Int, loss: Double)
    /// Training ended — finished, stopped or failed — and the display takes itself away,
    /// before any message about how it ended is printed.
    func finish()
}
