import Foundation
import Testing
@testable import BPPlot

@Suite struct TerminalLinePlotTests {
    static let loss = (0..<200).map { 0.7 * Foundation.exp(-Double($0) / 40) + 0.01 }

    @Test(arguments: [(72, 18), (40, 10), (120, 30), (20, 5)])
    func theTextIsExactlyTheSizeAsked(_ width: Int, _ height: Int) {
        let text = TerminalLinePlot([Series(y: Self.loss)], width: width, height: height).render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == height)
        for l in lines { #expect(l.count == width, "'\(l)'") }
    }

    @Test func tooSmallASizeIsRaisedToTheMinimum() {
        let lines = TerminalLinePlot([Series(y: [1, 2])], width: 3, height: 1).render().split(separator: "\n")
        #expect(lines.count == TerminalLinePlot.minimumHeight)
        #expect(lines.allSatisfy { $0.count == TerminalLinePlot.minimumWidth })
    }

    @Test func aDecreasingLineStartsTopLeftAndEndsBottomRight() {
        let lines = TerminalLinePlot([Series(y: [1, 0])], width: 30, height: 8).render().split(separator: "\n").map(Array.init)
        let margin = lines[0].firstIndex(of: "┤")! + 1
        // the first dot is in the top row's first cell, the last in the bottom row's last cell
        #expect(lines[0][margin] != " ")
        #expect(lines[5][29] != " ")
        #expect(lines[5][margin] == " " && lines[0][29] == " ")
    }

    @Test func theAxesCarryTheirTickLabels() {
        let text = TerminalLinePlot([Series(y: [0, 0.5, 1])], width: 40, height: 10).render()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("  1 ┤"))
        #expect(lines.contains { $0.hasPrefix("  0 ┤") })
        #expect(lines[8].hasPrefix("    └┬"))
        // x labels 1 ... 3 under their ticks
        #expect(lines[9].hasPrefix("     1"))
        #expect(lines[9].hasSuffix("3"))
    }

    @Test func aLogAxisLabelsDecades() {
        let ys = (0..<100).map { Foundation.pow(10, -Double($0) / 20) }
        let text = TerminalLinePlot([Series(y: ys)], width: 60, height: 14, logY: true).render()
        for label in ["1 ┤", "0.01 ┤", "0.0001 ┤"] { #expect(text.contains(label), "\(text)") }
    }

    @Test func aNanBreaksTheLineInsteadOfFailing() {
        let text = TerminalLinePlot([Series(y: [1, .nan, 3, 4])], width: 30, height: 8).render()
        #expect(text.split(separator: "\n").count == 8)
    }
}
