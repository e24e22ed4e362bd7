import BPNet
import BPTensor

// Networks, layers and optimizers of BPNet as bp values (host objects): `print(net)`,
// `net.layers[0].W`, completion after `net.`, and `net(X)` for models.

extension Module {
    /// `net(X)`: the forward pass, recorded like any expression.
    func callModel(_ interp: Interpreter, _ args: Arguments) throws -> Value {
        guard args.positional.count == 1, args.keywords.isEmpty else {
            throw BPError.runtime("a model takes one argument, the inputs (one row per sample): net(X)")
        }
        guard let x = try Values.toTensor(args.positional[0]) else {
            throw BPError.runtime("a model takes a tensor of inputs, found a \(describe(args.positional[0]))")
        }
        return Values.wrap(try NetworkBuiltins.net { try forward(x) })
    }

    /// "12 parameters"
    var parameterText: String { "\(parameterCount) parameter\(parameterCount == 1 ? "" : "s")" }
}

/// A bp function made into an activation, or an activation shown as the bp function it came from.
extension Activation {
    var value: Value { (source as? Function).map { .function($0) } ?? .string(name) }
}

extension Sequential: CallableHostObject {
    public var kindName: String { "network" }
    public var attributeNames: [String] { ["layers"] }
    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "layers": return .list(ListRef(layers.map { NetworkBuiltins.value($0) }))
        default: return nil
        }
    }
    public func describe(_ f: Formatter) -> String {
        let dense = layers.compactMap { $0 as? Dense }
        if dense.count == layers.count, let first = dense.first {
            let sizes = [first.inputs] + dense.map(\.outputs)
            return "<network \(sizes.map(String.init).joined(separator: "-")), \(parameterText)>"
        }
        return "<network of \(layers.count) layer\(layers.count == 1 ? "" : "s"), \(parameterText)>"
    }
    public func call(_ interp: Interpreter, _ args: Arguments) throws -> Value { try callModel(interp, args) }
}

extension Dense: CallableHostObject {
    public var kindName: String { "dense layer" }
    public var attributeNames: [String] { ["W", "b", "act", "inputs", "outputs"] }
    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "W": return .tensor(W)
        case "b": return b.map { .tensor($0) } ?? Value.none
        case "act": return activation?.value ?? Value.none
        case "inputs": return .number(Double(inputs))
        case "outputs": return .number(Double(outputs))
        default: return nil
        }
    }
    public func describe(_ f: Formatter) -> String {
        "<dense \(inputs)->\(outputs)\(activation.map { " " + $0.name } ?? ""), \(parameterText)>"
    }
    public func call(_ interp: Interpreter, _ args: Arguments) throws -> Value { try callModel(interp, args) }
}

extension Lambda: CallableHostObject {
    public var kindName: String { "layer" }
    public var attributeNames: [String] { ["act"] }
    public func attribute(_ name: String) throws -> Value? { name == "act" ? activation.value : nil }
    public func describe(_ f: Formatter) -> String { "<layer \(activation.name)>" }
    public func call(_ interp: Interpreter, _ args: Arguments) throws -> Value { try callModel(interp, args) }
}

extension SGD: HostObject {
    public var kindName: String { "optimizer" }
    public var attributeNames: [String] { ["lr", "momentum"] }
    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "lr": return .number(lr)
        case "momentum": return .number(momentum)
        default: return nil
        }
    }
    public func describe(_ f: Formatter) -> String { "<sgd lr=\(f.number(lr)) momentum=\(f.number(momentum))>" }
}

extension Adam: HostObject {
    public var kindName: String { "optimizer" }
    public var attributeNames: [String] { ["lr", "beta1", "beta2", "eps"] }
    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "lr": return .number(lr)
        case "beta1": return .number(beta1)
        case "beta2": return .number(beta2)
        case "eps": return .number(eps)
        default: return nil
        }
    }
    public func describe(_ f: Formatter) -> String {
        "<adam lr=\(f.number(lr)) beta1=\(f.number(beta1)) beta2=\(f.number(beta2)) eps=\(f.number(eps))>"
    }
}
