import Foundation

/// Global recording state: whether operations are recorded, and the long-chain note.
public enum Graph {
    /// False inside `nograd { }`: operations compute values only.
    nonisolated(unsafe) public static var isEnabled = true
    /// Chains of recorded operations this long trigger a one-time note.
    public static let longChain: Int32 = 1_000_000
    nonisolated(unsafe) static var warnedLongChain = false
    /// Receives the one-time long-chain note (standard error by default).
    nonisolated(unsafe) public static var note: (String) -> Void = { msg in
        FileHandle.standardError.write((msg + "\n").data(using: .utf8)!)
    }

    nonisolated(unsafe) private static var markCounter: UInt64 = 0
    static func nextMark() -> UInt64 {
        markCounter &+= 1
        return markCounter
    }

    /// Attaches a record to a freshly computed result when any input requires a gradient.
    @inline(__always)
    static func record(_ out: Tensor, _ op: Op, _ a: Tensor, _ b: Tensor? = nil, rest: [Tensor] = [], site: Int32) {
        guard isEnabled, a.requiresGrad || (b?.requiresGrad ?? false) || rest.contains(where: \.requiresGrad) else {
            // a value computed from a gradient snapshot (0.1 * W.grad) remembers whose it is,
            // so `W = W - 0.1 * W.grad` is recognised as the training-update pattern
            if a.isGradient || (b?.isGradient ?? false) {
                out.isGradient = true
                out.gradientOf = a.gradientOf ?? b?.gradientOf
            }
            return
        }
        out.kind = .node
        out.record = Record(op: op, a: a, b: b, rest: rest)
        out.site = site
        let d = max(a.depth, b?.depth ?? 0, rest.map(\.depth).max() ?? 0) + 1
        out.depth = d
        if d == longChain && !warnedLongChain {
            warnedLongChain = true
            note("note: a chain of \(longChain) recorded operations was built (an accumulator at the top level grows one long graph); "
                + "wrap the loop in nograd { } or use detach() if you do not need its gradient")
        }
    }
}
