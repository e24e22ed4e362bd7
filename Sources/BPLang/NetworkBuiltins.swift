import BPNet
import BPTensor

/// Networks: `dense`, `mlp`, `seq`, `params`, `summary`, `predict`, `accuracy`, `xor`
/// (BPNet's models shown as host objects, see NetworkObjects.swift).
enum NetworkBuiltins {
    /// Runs BPNet code, its errors worded as bp's.
    static func net<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as NetError { throw BPError.runtime(e.message) }
    }

    /// A module as a bp value.
    static func value(_ m: Module) -> Value {
        if let h = m as? HostObject { return .host(h) }
        return .none
    }

    /// The model a builtin was given (a network or a layer).
    static func model(_ v: Value, _ fn: String) throws -> Module {
        guard case .host(let h) = v, let m = h as? Module else {
            throw BPError.runtime("\(fn)() takes a network or a layer (made by mlp, seq or dense), found a \(describe(v))")
        }
        return m
    }

    /// A bp function as an activation: the engine's own for builtins such as sigmoid, relu
    /// and tanh; any other function called through the interpreter. `none` is no activation.
    static func activation(_ v: Value, _ interp: Interpreter, _ fn: String, _ param: String) throws -> Activation? {
        switch v {
        case .none: return nil
        case .function(let f):
            if case .builtin = f.body, let op = UnaryFunction(rawValue: f.name) { return Activation(op, source: f) }
            return Activation(name: f.name, source: f) { [weak interp] x in
                guard let interp else { throw BPError.runtime("the session that made this network has ended") }
                let r = try interp.call(f, Arguments([.tensor(x)]))
                guard let t = try Values.toTensor(r) else {
                    throw BPError.runtime("the activation '\(f.name)' returned a \(describe(r)), not a tensor")
                }
                return t
            }
        default:
            throw BPError.runtime("\(fn)() expects a function (sigmoid, relu, tanh...) or none for '\(param)', found a \(describe(v))")
        }
    }

    static func initializer(_ a: BoundArgs) throws -> Initializer {
        switch a["init"] {
        case .string(let s):
            guard let i = Initializer(name: s) else {
                throw BPError.runtime("\(a.function)(): init must be \"xavier\", \"he\", \"normal\" or a number, found \"\(s)\"" + Suggest.didYouMean(s, Initializer.names))
            }
            return i
        case let v:
            guard let d = v.asDouble else { throw BPError.runtime("\(a.function)(): init must be \"xavier\", \"he\", \"normal\" or a number, found a \(describe(v))") }
            return .scale(d)
        }
    }

    static func size(_ v: Value, _ what: String) throws -> Int {
        let n = try Values.whole(v, what, at: nil)
        guard n >= 1 else { throw BPError.runtime("\(what) must be at least 1, found \(n)") }
        return n
    }

    /// The parameters of a model or the leaves of a list.
    static func parameters(_ v: Value, _ fn: String) throws -> [Tensor] {
        if case .list(let l) = v {
            return try l.items.map { item in
                guard case .tensor(let t) = item, t.kind == .leaf else {
                    throw BPError.runtime("\(fn)() takes a model or a list of leaves (W1, b1, ...), found a \(describe(item)) in the list")
                }
                return t
            }
        }
        return try model(v, fn).parameters
    }

    static func constant(_ t: Tensor) -> Value {
        t.isMarkedConstant = true
        return .tensor(t)
    }

    /// A core builtin (a default argument such as mlp's act=sigmoid).
    static func builtin(_ name: String) -> Function { Builtins.math.first { $0.name == name }! }

    static let functions: [Function] = [
        Function.builtin("dense", [.count("in"), .count("out"), BuiltinParam("act", .any, default: Value.none), .bool("bias", true),
                                   BuiltinParam("init", .any, default: .string("xavier"))],
            help: "A dense layer computing x @ W + b, then act. W = randn(in, out) * scale with scale sqrt(2 / (in + out)) for init=\"xavier\", sqrt(2 / in) for \"he\", 0.01 for \"normal\", or init itself when it is a number; b = zeros(1, out). Drawn from the shared generator: seed makes it reproducible.",
            example: "seed(0); layer = dense(2, 3, act=relu); layer.W.shape   # [2, 3]") { i, a in
            let inputs = try size(a["in"], "dense()'s in"), outputs = try size(a["out"], "dense()'s out")
            return .host(try Dense(inputs, outputs, activation: try activation(a["act"], i, "dense", "act"), bias: try a.bool("bias"),
                               initializer: try initializer(a)))
        },
        Function.builtin("mlp", [.any("sizes"), BuiltinParam("act", .any, default: .function(builtin("sigmoid"))),
                                 BuiltinParam("out", .any, default: .function(builtin("sigmoid"))),
                                 .bool("bias", true), BuiltinParam("init", .any, default: .string("xavier"))],
            help: "A multilayer perceptron: dense layers of the sizes given ([2, 4, 1]: 2 inputs, 4 hidden units, 1 output), act after every hidden layer, out after the last (none: a linear output). Layers are drawn in order from the shared generator.",
            example: "seed(42); net = mlp([2, 4, 1], act=relu); net(xor()[0]).shape   # [4, 1]") { i, a in
            let items: [Value]
            switch a["sizes"] {
            case .list(let l): items = l.items
            case .tensor(let t) where t.rank == 1: items = t.data.map { .number($0) }
            default: throw BPError.runtime("mlp() takes a list of layer sizes such as [2, 4, 1], found a \(describe(a["sizes"]))")
            }
            let sizes = try items.map { try size($0, "a size in mlp()") }
            let act = try activation(a["act"], i, "mlp", "act"), out = try activation(a["out"], i, "mlp", "out")
            return .host(try net { try Sequential.mlp(sizes, act: act, out: out, bias: try a.bool("bias"), initializer: try initializer(a)) })
        },
        Function.builtin("seq", [], rest: Builtin.Rest("layer_or_function...", .any),
            help: "A model applying each layer or function in turn: seq(dense(2, 4), relu, dense(4, 1), sigmoid).",
            example: "seed(1); net = seq(dense(2, 4), relu, dense(4, 1), sigmoid); len(net.layers)   # 4") { i, a in
            guard !a.rest.isEmpty else { throw BPError.runtime("seq() needs at least one layer or function") }
            let layers = try a.rest.map { v -> Module in
                if case .host(let h) = v, let m = h as? Module { return m }
                guard let act = try activation(v, i, "seq", "layer_or_function") else {
                    throw BPError.runtime("seq() takes layers and functions, found none")
                }
                return Lambda(act)
            }
            return .host(Sequential(layers))
        },
        Function.builtin("params", [.any("net")],
            help: "The parameters of a model as a list of leaves, layer by layer (W, then b): backward, .grad and -= work on them.",
            example: "seed(0); net = mlp([2, 3, 1]); len(params(net))   # 4") { _, a in
            .list(ListRef(try model(a["net"], "params").parameters.map { .tensor($0) }))
        },
        Function.builtin("summary", [.any("net")],
            help: "Prints a table of a model's layers: kind, weight shape, activation and parameter count, then the total.",
            example: "seed(0); summary(mlp([2, 4, 1]))") { i, a in
            let m = try model(a["net"], "summary")
            let layers = (m as? Sequential)?.layers ?? [m]
            var rows = [["layer", "kind", "weights", "bias", "activation", "parameters"]]
            for (k, layer) in layers.enumerated() {
                switch layer {
                case let d as Dense:
                    rows.append(["\(k)", "dense", describeShape(d.W.shape), d.b.map { describeShape($0.shape) } ?? "-",
                                 d.activation?.name ?? "-", "\(d.parameterCount)"])
                case let l as Lambda:
                    rows.append(["\(k)", "function", "-", "-", l.activation.name, "0"])
                default:
                    rows.append(["\(k)", "network", "-", "-", "-", "\(layer.parameterCount)"])
                }
            }
            rows.append(["total", "", "", "", "", "\(m.parameterCount)"])
            i.write(Table.render(rows))
            return .none
        },
        Function.builtin("predict", [.any("net"), .tensor("X")],
            help: "net(X) computed without recording a graph: a constant, for looking at predictions.",
            example: "seed(42); net = mlp([2, 4, 1]); X, y = xor(); shape(predict(net, X))   # [4, 1]") { i, a in
            let m = try model(a["net"], "predict"), x = try a.tensor("X")
            return constant(try i.engine.withGrad(false) { try net { try m.forward(x) } })
        },
        Function.builtin("accuracy", [.tensor("yhat"), .tensor("y")],
            help: "The share of samples predicted right: one output per sample counts as class 1 when > 0.5; several outputs take the argmax of each row. y holds 0/1 or class labels, (n,) or (n, 1) (or one-hot rows).",
            example: "accuracy([[0.9], [0.2], [0.6]], [[1], [0], [0]])   # 0.666667") { _, a in
            .number(try accuracy(try a.tensor("yhat"), try a.tensor("y")))
        },
        Function.builtin("xor", [],
            help: "The XOR data set as constants X, y: X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [[0], [1], [1], [0]].",
            example: "X, y = xor(); y.shape   # [4, 1]") { _, _ in
            let (x, y) = DataSets.xor()
            return .list(ListRef([constant(x), constant(y)]))
        },
    ]

    /// Rows of yhat (n,) / (n, 1) thresholded at 0.5, or (n, k) by argmax, against labels.
    static func accuracy(_ yhat: Tensor, _ y: Tensor) throws -> Double {
        func rows(_ t: Tensor) -> (n: Int, k: Int) { t.rank == 0 ? (1, 1) : (t.shape[0], t.rank == 1 ? 1 : t.count / max(t.shape[0], 1)) }
        let (n, k) = rows(yhat), (m, ky) = rows(y)
        guard n == m, yhat.rank <= 2, y.rank <= 2, ky == 1 || ky == k else {
            throw BPError.runtime("accuracy(): the predictions have shape \(describeShape(yhat.shape)) and the targets \(describeShape(y.shape)); they need one row per sample each")
        }
        func argmax(_ d: [Double], _ row: Int, _ width: Int) -> Double {
            var best = 0
            for j in 1..<width where d[row * width + j] > d[row * width + best] { best = j }
            return Double(best)
        }
        let p = yhat.data, t = y.data
        var right = 0
        for r in 0..<n {
            let predicted = k == 1 ? (p[r] > 0.5 ? 1.0 : 0.0) : argmax(p, r, k)
            let label = ky == 1 ? t[r] : argmax(t, r, ky)
            if predicted == label { right += 1 }
        }
        return n == 0 ? 0 : Double(right) / Double(n)
    }
}
