import Foundation
import Testing
@testable import BPPlot

@Suite struct TicksTests {
    @Test(arguments: [
        (0.0, 1.0, 5, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.0, 10.0, 5, [0, 2, 4, 6, 8, 10]),
        (1.0, 2001.0, 5, [500, 1000, 1500, 2000]),
        (-3.0, 3.0, 4, [-2, 0, 2]),
        (0.0, 5.0, 2, [0, 2.5, 5]),
        (0.013, 0.69, 4, [0.2, 0.4, 0.6]),
    ])
    func linearTicksAreNiceMultiples(_ lo: Double, _ hi: Double, _ target: Int, _ expected: [Double]) {
        let t = Ticks.linear(lo, hi, target: target)
        #expect(t.count == expected.count)
        for (a, b) in zip(t, expected) { #expect(abs(a - b) < 1e-12, "\(t)") }
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for span in [0.003, 0.7, 1, 3.3, 47, 980, 12345.0] {
            let s = Ticks.step(span: span, target: 5)
            let m = s / pow(10, floor(log10(s)))
            #expect([1.0, 2, 2.5, 5].contains { abs($0 - m) < 1e-9 }, "step \(s) for span \(span)")
            #expect(span / s <= 5 + 1e-9 && span / s > 1, "span \(span) step \(s)")
        }
    }

    @Test func ticksHaveNoFloatingPointDrift() {
        // 0.1 added three times is 0.30000000000000004; a tick is k * step
        #expect(TickLabel.texts(Ticks.linear(0, 0.3, target: 3), log: false) == ["0", "0.1", "0.2", "0.3"])
    }

    @Test func logTicksArePowersOfTen() {
        #expect(Ticks.logarithmic(0.001, 10) == [0.001, 0.01, 0.1, 1, 10])
        // many decades are thinned to every second one
        #expect(Ticks.logarithmic(1e-8, 1, target: 5) == [1e-8, 1e-6, 1e-4, 1e-2, 1])
        // two decades: the 1-2-5 multiples; less than one: every multiple, thinned
        #expect(Ticks.logarithmic(0.01, 0.7) == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5])
        #expect(Ticks.logarithmic(0.15, 0.7, target: 6) == [0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
        #expect(Ticks.logarithmic(0.15, 0.95, target: 3) == [0.2, 0.4, 0.6, 0.8])
        #expect(Ticks.logarithmic(-1, 10).isEmpty)
    }

    @Test func labelsUseTheDigitsTheStepNeeds() {
        #expect(TickLabel.texts([0, 0.5, 1, 1.5], log: false) == ["0", "0.5", "1", "1.5"])
        #expect(TickLabel.texts([-3, -1.5, 0, 1.5, 3], log: false) == ["-3", "-1.5", "0", "1.5", "3"])
        #expect(TickLabel.texts([0, 0.25, 0.5], log: false) == ["0", "0.25", "0.5"])
        #expect(TickLabel.texts([500, 1000, 1500], log: false) == ["500", "1000", "1500"])
        #expect(TickLabel.texts([1e-5, 1e-3, 0.1, 10], log: true) == ["1e-05", "0.001", "0.1", "10"])
        #expect(TickLabel.text(2e6, decimals: 0) == "2e+06")
        #expect(TickLabel.texts([0.1, 0.15, 0.2], log: false) == ["0.1", "0.15", "0.2"])
    }
}
