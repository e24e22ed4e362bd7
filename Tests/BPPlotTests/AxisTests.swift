import Testing
@testable import BPPlot

@Suite struct AxisTests {
    @Test func aLinearAxisMapsItsEndsToZeroAndOne() {
        let a = Axis(covering: [2, 7, 4])
        #expect(a.lo == 2 && a.hi == 7)
        #expect(a.fraction(2) == 0 && a.fraction(7) == 1 && a.fraction(4.5) == 0.5)
        #expect(a.value(at: 0.5) == 4.5)
    }

    @Test func paddingWidensBothSides() {
        let a = Axis(covering: [0, 10], padding: 0.1)
        #expect(a.lo == -1 && a.hi == 11)
    }

    @Test func aLogAxisMapsDecadesEvenly() {
        let a = Axis(covering: [0.01, 1, 100], log: true)
        #expect(abs(a.fraction(0.01)) < 1e-12 && abs(a.fraction(1) - 0.5) < 1e-12 && abs(a.fraction(100) - 1) < 1e-12)
        #expect(a.fraction(0).isNaN && a.fraction(-1).isNaN)
        #expect(a.ticks == [0.01, 0.1, 1, 10, 100])
    }

    @Test func aLogAxisIgnoresValuesItCannotShow() {
        let a = Axis(covering: [0, -2, 0.1, 10, .nan, .infinity], log: true)
        #expect(abs(a.lo - 0.1) < 1e-12 && abs(a.hi - 10) < 1e-12)
    }

    @Test func aConstantSeriesStillGetsARange() {
        let a = Axis(covering: [3, 3, 3])
        #expect(a.lo < 3 && a.hi > 3 && !a.ticks.isEmpty)
        let z = Axis(covering: [0])
        #expect(z.lo == -1 && z.hi == 1)
        let e = Axis(covering: [])
        #expect(e.lo < e.hi)
    }
}
