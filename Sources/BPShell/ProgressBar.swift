import BPLang
#if canImport(Glibc)
import Glibc
#endif

/// `train`'s progress on a terminal: one line redrawn in place (`\r`, then erase to the end
/// of the line), at most ten times a second, showing the epoch, the loss, epochs per second
/// and the time left:
///
///     epoch 512/2000 [#####---------------] loss 0.0213  1843 epochs/s  0.8 s left
///
/// When training ends the line is erased, so the line saying how it ended takes its place.
public final class ProgressBar: TrainingProgress {
    let write: (String) -> Void
    let columns: () -> Int
    var epochs = 0
    var started = 0.0, lastDraw = -1.0
    var drawn = false

    /// `write` sends text to the terminal (and flushes); `columns` is its width now.
    public init(write: @escaping (String) -> Void = ProgressBar.writeToStandardOutput,
                columns: @escaping () -> Int = { TerminalWindow.size()?.columns ?? 80 }) {
        self.write = write
        self.columns = columns
    }

    public static func writeToStandardOutput(_ s: String) {
        StandardStreams.output(s)
        StandardStreams.flushOutput()
    }

    /// Seconds on a clock that only moves forward.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Redraws at most this often (seconds).
    public static let interval = 0.1

    public func start(epochs: Int) {
        self.epochs = epochs
        started = ProgressBar.now()
        lastDraw = -1
        drawn = false
    }

    public func epoch(_ epoch: Int, loss: Double) {
        let t = ProgressBar.now()
        // the first epoch is drawn at once (a slow epoch shows something), then every 0.1 s
        guard lastDraw < 0 || t - lastDraw >= ProgressBar.interval else { return }
        lastDraw = t
        write("\r" + ProgressBar.line(epoch: epoch + 1, of: epochs, loss: loss, seconds: t - started, width: columns()) + "\u{1B}[K")
        drawn = true
    }

    public func finish() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    /// The text of the bar after `done` of `total` epochs in `seconds`, at most `width`
    /// characters (the bar itself shrinks, then goes, on a narrow terminal).
    public static func line(epoch done: Int, of total: Int, loss: Double, seconds: Double, width: Int) -> String {
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let counter = String(total)
        let epochText = "epoch " + String(repeating: " ", count: max(counter.count - String(done).count, 0)) + "\(done)/\(total)"
        var tail = "  loss " + String(format: "%.4g", loss)
        if rate > 0 {
            tail += "  " + String(format: rate >= 100 ? "%.0f" : rate >= 10 ? "%.1f" : "%.2f", rate) + " epochs/s"
            tail += "  " + duration(Double(total - done) / rate) + " left"
        }
        let room = width - 1 - epochText.count - tail.count - 3
        guard room >= 10 else { return String((epochText + tail).prefix(max(width - 1, 0))) }
        let cells = min(room, 30)
        let full = total > 0 ? min(cells, cells * done / total) : cells
        return epochText + " [" + String(repeating: "#", count: full) + String(repeating: "-", count: cells - full) + "]" + tail
    }

    /// `0.8 s`, `42 s`, `3 min 05 s`, `2 h 07 min`.
    static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "?" }
        if s < 10 { return String(format: "%.1f s", s) }
        if s < 60 { return "\(Int(s.rounded())) s" }
        let whole = Int(min(s, 1e9).rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole / 60 % 60)
    }
}
