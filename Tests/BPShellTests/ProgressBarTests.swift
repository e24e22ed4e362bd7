import Testing
@testable import BPShell

@Suite struct ProgressBarTests {
    @Test func theLineShowsEpochLossRateAndTimeLeft() {
        let line = ProgressBar.line(epoch: 500, of: 2000, loss: 0.021345, seconds: 0.25, width: 100)
        #expect(line == "epoch  500/2000 [#######-----------------------]  loss 0.02134  2000 epochs/s  0.8 s left")
        #expect(line.count <= 99)
    }

    @Test func theBarShrinksAndThenGoesOnANarrowTerminal() {
        let narrow = ProgressBar.line(epoch: 5, of: 10, loss: 1, seconds: 50, width: 64)
        #expect(narrow == "epoch  5/10 [#######--------]  loss 1  0.10 epochs/s  50 s left")
        let tiny = ProgressBar.line(epoch: 5, of: 10, loss: 1, seconds: 50, width: 30)
        #expect(tiny == "epoch  5/10  loss 1  0.10 epo")
    }

    @Test func durations() {
        #expect(ProgressBar.duration(0.04) == "0.0 s")
        #expect(ProgressBar.duration(42.4) == "42 s")
        #expect(ProgressBar.duration(185) == "3 min 05 s")
        #expect(ProgressBar.duration(7620) == "2 h 07 min")
    }

    /// Redrawn in place at most ten times a second: 10,000 fast epochs draw a handful of
    /// times, each draw starting with a carriage return; finishing erases the line.
    @Test func redrawsInPlaceAtMostTenTimesASecond() {
        var written: [String] = []
        let bar = ProgressBar(write: { written.append($0) }, columns: { 80 })
        bar.start(epochs: 10_000)
        for k in 0..<10_000 { bar.epoch(k, loss: 1 / Double(k + 1)) }
        bar.finish()
        #expect(written.count >= 2 && written.count <= 5, "\(written.count) writes")
        #expect(written.allSatisfy { $0.hasPrefix("\r") && !$0.contains("\n") })
        #expect(written.last == "\r\u{1B}[K")
    }
}
