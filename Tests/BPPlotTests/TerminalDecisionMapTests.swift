import Testing
@testable import BPPlot

@Suite struct TerminalDecisionMapTests {
    @Test func theMapIsExactlyTheSizeAsked() {
        let text = TerminalDecisionMap(SVGTests.circleMap(), width: 50, height: 20).render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 20)
        #expect(lines.allSatisfy { $0.count == 50 })
    }

    @Test func theDiscIsShadedAndThePointsMarked() {
        let text = TerminalDecisionMap(SVGTests.circleMap(), width: 50, height: 20).render()
        let lines = text.split(separator: "\n").map(Array.init)
        let margin = lines[0].firstIndex(where: { $0 == "┤" || $0 == "│" })! + 1
        // the centre of the picture is inside the disc (p = 0.9) and holds the class-1 point
        let rows = 18, cols = 50 - margin
        let row = rows - 1 - TerminalFrame.position(0.5, rows)!, col = margin + TerminalFrame.position(0.5, cols)!
        #expect(lines[row][col] == "x")
        #expect(lines[row][col + 2] == "░")
        // a corner is outside (p = 0.1): blank
        #expect(lines[rows - 1][margin] == " ")
        #expect(text.contains("o"))
    }

    @Test func shadesFollowTheProbability() {
        let m = TerminalDecisionMap(SVGTests.circleMap(), width: 30, height: 10)
        #expect([0.1, 0.4, 0.6, 0.9].map(m.shade) == [" ", "·", "▒", "░"])
    }
}
