import Foundation
import Testing
@testable import BPLang
import BPNet
import BPTestSupport

/// Networks as bp values: calling a model, its layers and parameters, losses, optimizers and train.
@Suite struct NetworkTests {
    @Test func aModelIsCalledAndItsParametersAreLeaves() {
        let x = CapturedSession()
        #expect(x.run("""
            seed(1)
            net = mlp([2, 3, 1], act=relu)
            X, y = xor()
            L = mse(net(X), y)
            backward(L)
            W = net.layers[0].W
            before = W[0, 0]
            W -= 0.1 * W.grad
            print(len(params(net)), net.layers[0].b.shape, W.name, before != net.layers[0].W[0, 0])
            print(net, net.layers[1])
            """) == .ok, "\(x.err)")
        #expect(x.out == "4 [1, 3] layers[0].W true\n<network 2-3-1, 13 parameters> <dense 3->1 sigmoid, 4 parameters>\n")
    }

    @Test func completionAfterANetworkListsItsAttributes() {
        let x = CapturedSession()
        x.type("net = mlp([2, 2, 1])")
        #expect(x.session.completions(for: "net.l", before: "") == ["net.layers"])
        x.type("d = dense(2, 3)")
        #expect(x.session.completions(for: "d.", before: "") == ["d.W", "d.b", "d.act", "d.inputs", "d.outputs"])
    }

    @Test func seqAppliesLayersAndFunctionsInTurn() {
        let x = CapturedSession()
        #expect(x.run("""
            seed(3)
            def double(t) = 2 * t
            net = seq(dense(2, 2, bias=false, init=1), double, relu)
            X = [[1, 0]]
            print(close(net(X), relu(2 * (X @ net.layers[0].W))), net.layers[1].act == double)
            """) == .ok, "\(x.err)")
        #expect(x.out == "true true\n")
    }

    @Test func initializationFollowsTheSpecScale() {
        // dense(3, 2): W = randn(3, 2) * sqrt(2 / 5) drawn after the seed
        let x = CapturedSession()
        #expect(x.run("seed(7); a = dense(3, 2); seed(7); b = randn(3, 2) * sqrt(2 / 5); print(close(a.W, b, tol=0), a.b)") == .ok, "\(x.err)")
        #expect(x.out == "true [[0 0]]\n")
    }

    @Test func aModelCallWithTheWrongInputsIsAnError() {
        let x = CapturedSession()
        #expect(x.run("net = mlp([2, 4, 1])\nnet([[1, 2, 3]])") == .runtimeError)
        #expect(x.err.contains("t.bp:2:1: error: dense(2, 4) takes inputs of shape (n, 2), found (1,3)"), "\(x.err)")
        #expect(x.run("net(1, 2)") == .runtimeError)
        #expect(x.err.contains("a model takes one argument"), "\(x.err)")
        #expect(x.run("dense(2, 2, act=3)") == .runtimeError)
        #expect(x.err.contains("dense() expects a function (sigmoid, relu, tanh...) or none for 'act', found a number"), "\(x.err)")
    }

    @Test func stepUpdatesListedLeavesWithMomentum() {
        let x = CapturedSession()
        #expect(x.run("""
            W = [1.0, 2.0]
            opt = sgd(lr=0.1, momentum=0.9)
            for k in range(2) {
              backward(sum(W * W))
              step(opt, [W])
            }
            print(W)
            """) == .ok, "\(x.err)")
        // v1 = g1 = [2, 4]: W = [0.8, 1.6]; g2 = [1.6, 3.2], v2 = 0.9 v1 + g2 = [3.4, 6.8]: W = [0.46, 0.92]
        #expect(x.out == "[0.4600 0.9200]\n")
    }

    @Test func trainPrintsEveryKEpochsOrOneLineAtTheEnd() {
        let x = CapturedSession()
        #expect(x.run("seed(0); X, y = xor(); net = mlp([2, 3, 1]); h = train(net, X, y, epochs=25, every=10)") == .ok, "\(x.err)")
        let lines = x.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("epoch  0  loss ") == true, "\(x.out)")
        #expect(lines.last?.hasPrefix("epoch 20  loss ") == true, "\(x.out)")
        x.out = ""
        #expect(x.run("h = train(net, X, y, epochs=5)") == .ok)
        #expect(x.out.hasPrefix("trained 5 epochs: loss "), "\(x.out)")
        x.out = ""
        #expect(x.run("h = train(net, X, y, epochs=5, quiet=true); print(len(h))") == .ok)
        #expect(x.out == "5\n")
    }

    @Test func shuffledBatchesWeightTheHistoryBySize() {
        // batches of 3 over 4 rows: sizes 3 and 1; the epoch's loss is their weighted mean,
        // here checked by training with lr tiny enough that the loss hardly moves
        let x = CapturedSession()
        #expect(x.run("""
            seed(5)
            X, y = xor()
            net = mlp([2, 3, 1])
            full = mse(predict(net, X), y)
            h = train(net, X, y, opt=sgd(lr=1e-12), epochs=1, batch=3, quiet=true)
            print(close(h[0], full, tol=1e-9))
            """) == .ok, "\(x.err)")
        #expect(x.out == "true\n")
    }

    @Test func aDivergingLossStopsTrainingNamingTheEpoch() {
        let x = CapturedSession()
        #expect(x.run("seed(0); X = [[1], [2], [3]]; y = [[2], [4], [6]]; net = mlp([1, 1], out=none); h = train(net, X, y, lr=100, epochs=1000, quiet=true); print(len(h) < 1000)") == .ok, "\(x.err)")
        #expect(x.out == "true\n")
        #expect(x.err.contains("train: stopped at epoch"), "\(x.err)")
        #expect(x.err.contains("try a smaller one"), "\(x.err)")
    }

    @Test func ctrlCStopsTrainingAfterTheCurrentEpochKeepingTheWeights() {
        let x = CapturedSession()
        #expect(x.run("seed(0); X, y = xor(); net = mlp([2, 3, 1]); W0 = copy(net.layers[0].W)") == .ok, "\(x.err)")
        // the flag as a SIGINT handler sets it, raised inside the loss of the first epoch:
        // training stops after that epoch, its update made
        let flag = x.interp.interruptFlag
        x.interp.define("raise_flag", .function(Function(Builtin("raise_flag", [.tensor("a"), .tensor("b")], rest: nil, help: nil) { _, a in
            flag.pointee = 1
            return .tensor(try Loss.mse(try a.tensor("a"), try a.tensor("b")))
        })))
        #expect(x.run("def l(a, b) = raise_flag(a, b)\nh = train(net, X, y, loss=l, epochs=100)") == .interrupted)
        flag.pointee = 0
        #expect(x.err.contains("train: interrupted after 1 epoch (loss "), "\(x.err)")
        #expect(x.run("print(len(h), close(W0, net.layers[0].W))") == .ok, "\(x.err)")
        #expect(x.out.hasSuffix("1 false\n"), "\(x.out)")
        // Ctrl-C in the middle of an epoch (here: at the call of the loss) stops before its update
        #expect(x.run("def l2(a, b) = raise_flag(a, b) + mse(a, b)\nW1 = copy(net.layers[0].W); h = train(net, X, y, loss=l2, epochs=100)") == .interrupted)
        flag.pointee = 0
        #expect(x.err.contains("train: interrupted after 0 epochs; the weights"), "\(x.err)")
        #expect(x.run("print(close(W1, net.layers[0].W))") == .ok)
        #expect(x.out.hasSuffix("true\n"), "\(x.out)")
    }
}

/// Every script in examples/ runs to the end (their asserts hold).
@Suite struct ExampleTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")
    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".bp") }.sorted()
    }

    @Test(arguments: names) func runs(_ name: String) throws {
        let source = try String(contentsOf: ExampleTests.folder.appendingPathComponent(name), encoding: .utf8)
        let x = CapturedSession()
        #expect(x.run(source, file: name) == .ok, "\(x.err)")
    }
}
