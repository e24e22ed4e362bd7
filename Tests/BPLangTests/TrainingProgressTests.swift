import Testing
import BPLang
import BPTestSupport

/// `train` reports every epoch to the progress display the front end installs (on a
/// terminal), and lets it go before the line that says how training ended.
@Suite struct TrainingProgressTests {
    final class Recorder: TrainingProgress {
        var events: [String] = []
        var epochs: [Int] = []
        let onEpoch: (Int) -> Void
        init(onEpoch: @escaping (Int) -> Void = { _ in }) { self.onEpoch = onEpoch }
        func start(epochs: Int) { events.append("start \(epochs)") }
        func epoch(_ epoch: Int, loss: Double) {
            epochs.append(epoch)
            onEpoch(epoch)
        }
        func finish() { events.append("finish") }
    }

    @Test func everyEpochIsReportedThenTheDisplayGoesBeforeTheLastLine() {
        let x = CapturedSession(), bar = Recorder()
        x.interp.trainingProgress = bar
        #expect(x.run("seed(0); X, y = xor(); net = mlp([2, 3, 1]); h = train(net, X, y, epochs=25)") == .ok, "\(x.err)")
        #expect(bar.events == ["start 25", "finish"])
        #expect(bar.epochs == Array(0..<25))
        #expect(x.out.hasPrefix("trained 25 epochs: loss "), "\(x.out)")
    }

    @Test func quietAndEveryDrawNoBar() {
        let x = CapturedSession(), bar = Recorder()
        x.interp.trainingProgress = bar
        #expect(x.run("seed(0); X, y = xor(); net = mlp([2, 3, 1]); h = train(net, X, y, epochs=5, quiet=true); h = train(net, X, y, epochs=5, every=2)") == .ok)
        #expect(bar.events.isEmpty)
        #expect(x.out.hasPrefix("epoch 0  loss "), "\(x.out)")
    }

    /// Ctrl-C (the flag a SIGINT handler sets) in epoch 3: training stops after it, the bar
    /// is taken away and the note says how many epochs ran.
    @Test func ctrlCStopsAfterTheCurrentEpochAndTheBarGoes() {
        let x = CapturedSession()
        let flag = x.interp.interruptFlag
        let bar = Recorder { if $0 == 3 { flag.pointee = 1 } }
        x.interp.trainingProgress = bar
        #expect(x.run("seed(0); X, y = xor(); net = mlp([2, 3, 1]); h = train(net, X, y, epochs=100)") == .interrupted)
        #expect(bar.events == ["start 100", "finish"])
        #expect(bar.epochs == [0, 1, 2, 3])
        #expect(x.err.contains("train: interrupted after 4 epochs (loss "), "\(x.err)")
        flag.pointee = 0
        #expect(x.run("print(len(h))") == .ok)
        #expect(x.out.hasSuffix("4\n"), "\(x.out)")
    }
}
