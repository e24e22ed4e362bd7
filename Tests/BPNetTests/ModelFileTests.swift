import Testing
import BPTensor
@testable import BPNet

/// Model files round-trip every Float64 bit for bit and reject what is not a model file.
@Suite struct ModelFileTests {
    static func activation(_ name: String) -> Activation? { UnaryFunction(rawValue: name).map { Activation($0) } }

    /// Random bit patterns (every finite Float64: subnormals, -0, the largest and smallest)
    /// as weights, through the text and back.
    @Test func everyWeightRoundTripsBitForBit() throws {
        var g = MersenneTwister(seed: 2024)
        func anyFinite() -> Double {
            while true {
                let bits = UInt64(g.nextUInt32()) << 32 | UInt64(g.nextUInt32())
                let d = Double(bitPattern: bits)
                if d.isFinite { return d }
            }
        }
        let special: [Double] = [-0.0, 0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 0.1, 1e-5, 1 / 3]
        let w = special + (0..<(40 * 30 - special.count)).map { _ in anyFinite() }
        let b = (0..<30).map { _ in g.nextDouble() * 2 - 1 }
        let first = Dense(W: w, b: b, inputs: 40, outputs: 30, activation: Activation(.tanh), name: "layers[0].")
        let second = Dense(W: (0..<30).map { _ in anyFinite() }, b: nil, inputs: 30, outputs: 1, activation: nil, name: "layers[2].")
        let net = Sequential([first, Lambda(Activation(.relu)), second])
        let text = try ModelFile.encode(net) { a, _ in a.name }
        let back = try #require(try ModelFile.decode(text, activation: Self.activation) as? Sequential)
        #expect(back.layers.count == 3)
        let original = net.parameters, loaded = back.parameters
        #expect(loaded.count == original.count)
        for (p, q) in zip(original, loaded) {
            #expect(p.shape == q.shape)
            #expect(p.data.map(\.bitPattern) == q.data.map(\.bitPattern))
            #expect(p.label?.name == q.label?.name)
            #expect(q.kind == .leaf)
        }
        #expect((back.layers[0] as? Dense)?.activation?.name == "tanh")
        #expect((back.layers[1] as? Lambda)?.activation.name == "relu")
        #expect((back.layers[2] as? Dense)?.b == nil)
        // written again, the same text
        #expect(try ModelFile.encode(back) { a, _ in a.name } == text)
    }

    @Test(arguments: [
        ("", "the file is empty, not JSON"),
        ("{\"format\": \"bp-model\",\n \"version\": 1, \"model\": [1, 2,", "line 2, column 31: expected a value, found the end of the file (is it truncated?)"),
        ("[1, 2]", "it is not a bp model file: it holds a list, not an object with \"format\": \"bp-model\""),
        ("{\"a\": 1, \"a\": 2}", "line 1, column 10: the key \"a\" appears twice"),
        ("{\"x\": [1, -Infinity]}", "line 1, column 11: '-Infinity' is not a number JSON can hold (JSON has no nan or infinity)"),
        ("{\"x\": 1e999}", "line 1, column 7: 1e999 is too large for a 64-bit float"),
        ("{\"x\": 01}", "line 1, column 7: '01' is not a number"),
        ("{\"x\": 1} x", "line 1, column 10: unexpected text after the end of the JSON value"),
        (String(repeating: "[", count: 100_000), "line 1, column 201: nested more than 200 levels deep"),
    ])
    func badFilesSayWhatIsWrong(_ text: String, _ message: String) {
        #expect(throws: ModelFileError(message)) { try ModelFile.decode(text, activation: Self.activation) }
    }

    @Test func nanWeightsAreNotWritten() {
        let d = Dense(W: [1, .nan], b: [0], inputs: 2, outputs: 1, activation: nil)
        #expect(throws: ModelFileError("W holds nan, which a JSON file cannot store (did the training diverge?)")) {
            try ModelFile.encode(d) { a, _ in a.name }
        }
    }
}
