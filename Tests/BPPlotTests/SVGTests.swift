import Foundation
import Testing
@testable import BPPlot

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG text as XML and counts its elements by name.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    private var inText = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if name == "text" { inText = true; texts.append("") }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { texts[texts.count - 1] += string }
    }

    /// nil when the text is not well-formed XML.
    static func parse(_ svg: String) -> ElementCounter? {
        let p = XMLParser(data: Data(svg.utf8))
        let c = ElementCounter()
        p.delegate = c
        return p.parse() ? c : nil
    }
}

@Suite struct SVGTests {
    @Test func aLinePlotIsWellFormedWithAxesAndATitle() throws {
        let ys = (0..<100).map { 0.7 * exp(-Double($0) / 20) }
        let svg = SVGLinePlot([Series(y: ys)], title: "loss <bce> & more", xLabel: "epoch", yLabel: "loss").render()
        let doc = try #require(ElementCounter.parse(svg), "not well-formed:\n\(svg)")
        #expect(doc.counts["svg"] == 1)
        #expect(doc.counts["polyline"] == 1)
        #expect(doc.texts.contains("loss <bce> & more"))
        #expect(doc.texts.contains("epoch") && doc.texts.contains("loss"))
        #expect(doc.texts.contains("0.2") && doc.texts.contains("100"))
        #expect(svg.contains("viewBox=\"0 0 640 400\""))
    }

    @Test func aNanSplitsTheLineInTwo() throws {
        let svg = SVGLinePlot([Series(y: [1, 2, .nan, 3, 4])], title: "t", xLabel: "x", yLabel: "y").render()
        #expect(try #require(ElementCounter.parse(svg)).counts["polyline"] == 2)
    }

    @Test func aLogPlotHasDecadeLabels() throws {
        let ys = (0..<50).map { pow(10, -Double($0) / 10) }
        let svg = SVGLinePlot([Series(y: ys)], title: "t", xLabel: "x", yLabel: "y", logY: true).render()
        let doc = try #require(ElementCounter.parse(svg))
        for label in ["1", "0.1", "0.01", "0.001", "0.0001"] { #expect(doc.texts.contains(label), "\(doc.texts)") }
    }

    @Test func controlCharactersAndMarkupInLabelsStayWellFormed() throws {
        let svg = SVGLinePlot([Series(y: [1, 2])], title: "a\u{1}b</svg>\"'", xLabel: "x", yLabel: "y").render()
        #expect(ElementCounter.parse(svg) != nil)
    }

    static func circleMap(classes: Int = 2) -> DecisionMap {
        let xs = DecisionMap.grid(-2, 2, 41), ys = DecisionMap.grid(-2, 2, 41)
        var values: [Double] = []
        for y in ys { for x in xs { values.append(classes == 2 ? (x * x + y * y < 1 ? 0.9 : 0.1) : Double(x < 0 ? 0 : (y < 0 ? 1 : 2))) } }
        let points = [LabeledPoint(x: 0, y: 0, label: 1), LabeledPoint(x: 1.5, y: 1.5, label: 0), LabeledPoint(x: 9, y: 9, label: 0)]
        return DecisionMap(xLo: -2, xHi: 2, yLo: -2, yHi: 2, columns: 41, rows: 41, values: values, classCount: classes, points: points)
    }

    @Test func aDecisionMapIsWellFormedWithItsPointsAndBoundary() throws {
        let svg = SVGDecisionMap(Self.circleMap(), title: "boundary").render()
        let doc = try #require(ElementCounter.parse(svg))
        // the contour of the disc, and the two points inside the picture (one per marker kind)
        #expect(doc.counts["path"] == 1)
        #expect(doc.counts["circle", default: 0] == 2)  // the class-0 point and its legend marker
        #expect(doc.texts.contains("class 0") && doc.texts.contains("class 1") && doc.texts.contains("boundary"))
        // runs of one colour are merged: far fewer rects than the 41 × 41 cells
        #expect(doc.counts["rect", default: 0] < 41 * 41 / 4)
    }

    @Test func severalClassesGetNoContour() throws {
        let doc = try #require(ElementCounter.parse(SVGDecisionMap(Self.circleMap(classes: 3), title: "t").render()))
        #expect(doc.counts["path"] == nil)
    }

    @Test func marchingSquaresFindsTheCrossingByInterpolation() {
        // values 0 and 1 along x: the 0.5 level crosses halfway between the columns
        let s = MarchingSquares.segments([0, 1, 0, 1], columns: 2, rows: 2, level: 0.5)
        #expect(s.count == 1)
        #expect(s[0].0 == 0.5 && s[0].2 == 0.5)
        #expect(Set([s[0].1, s[0].3]) == [0, 1])
        #expect(MarchingSquares.segments([0, 0, 0, 0], columns: 2, rows: 2, level: 0.5).isEmpty)
    }

    @Test func numbersAreShortAndFinite() {
        #expect(SVGDocument.number(12) == "12")
        #expect(SVGDocument.number(12.345) == "12.35")
        #expect(SVGDocument.number(-0.5) == "-0.5")
        #expect(SVGDocument.number(.nan) == "0")
    }
}
