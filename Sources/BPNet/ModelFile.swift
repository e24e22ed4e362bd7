import BPTensor

/// A model as a JSON file (`save`/`load`): its layers, their sizes, activations (by name),
/// bias flags and every weight, written with Swift's shortest round-trip `description` of
/// each Float64 and read back with the correctly rounded `Double(String)`, so a model
/// round-trips bit for bit. The layout:
///
///     {"format": "bp-model", "version": 1, "model": LAYER}
///     LAYER: {"kind": "sequential", "layers": [LAYER, ...]}
///          | {"kind": "dense", "inputs": 2, "outputs": 4, "activation": "sigmoid" or null,
///             "bias": true, "W": [[...], [...]] (inputs rows of outputs numbers), "b": [[...]]}
///          | {"kind": "function", "activation": "relu"}
///
/// Reading checks everything before making anything: a file that is not JSON, JSON of
/// something else, a missing field or a wrong shape is an error naming what is wrong.
public enum ModelFile {
    public static let format = "bp-model"
    public static let version = 1

    /// The file's text. `activationName` names an activation as the file stores it, or
    /// throws (a function the file cannot name); it gets the layer's place (`layers[2]`).
    public static func encode(_ model: Module, activationName: (Activation, String) throws -> String) throws -> String {
        var out = "{\n  \"format\": \"\(format)\",\n  \"version\": \(version),\n  \"model\": "
        try encode(model, path: "", indent: "  ", into: &out, activationName)
        out += "\n}\n"
        return out
    }

    static func encode(_ m: Module, path: String, indent: String, into out: inout String,
                       _ activationName: (Activation, String) throws -> String) throws {
        let inner = indent + "  "
        let place = path.isEmpty ? "the model" : path
        switch m {
        case let s as Sequential:
            out += "{\n\(inner)\"kind\": \"sequential\",\n\(inner)\"layers\": ["
            for (k, layer) in s.layers.enumerated() {
                out += (k == 0 ? "\n" : ",\n") + inner + "  "
                try encode(layer, path: path + (path.isEmpty ? "" : ".") + "layers[\(k)]", indent: inner + "  ", into: &out, activationName)
            }
            out += "\n\(inner)]\n\(indent)}"
        case let d as Dense:
            let act = try d.activation.map { "\"" + escape(try activationName($0, place)) + "\"" } ?? "null"
            out += "{\n\(inner)\"kind\": \"dense\",\n\(inner)\"inputs\": \(d.inputs),\n\(inner)\"outputs\": \(d.outputs),\n"
            out += "\(inner)\"activation\": \(act),\n\(inner)\"bias\": \(d.b != nil),\n"
            out += "\(inner)\"W\": " + (try matrix(d.W, d.outputs, name: prefixed(path, "W"), indent: inner))
            if let b = d.b { out += ",\n\(inner)\"b\": " + (try matrix(b, d.outputs, name: prefixed(path, "b"), indent: inner)) }
            out += "\n\(indent)}"
        case let l as Lambda:
            out += "{\"kind\": \"function\", \"activation\": \"\(escape(try activationName(l.activation, place)))\"}"
        default:
            throw ModelFileError("\(place) is a kind of layer a model file cannot hold")
        }
    }

    static func prefixed(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    /// Rows of numbers, one row a line; nan and inf have no JSON form.
    static func matrix(_ t: Tensor, _ width: Int, name: String, indent: String) throws -> String {
        let data = t.data
        if let bad = data.first(where: { !$0.isFinite }) {
            throw ModelFileError("\(name) holds \(bad.isNaN ? "nan" : bad < 0 ? "-inf" : "inf"), which a JSON file cannot store (did the training diverge?)")
        }
        let rows = stride(from: 0, to: data.count, by: max(width, 1)).map { start in
            "[" + data[start..<min(start + width, data.count)].map { $0.description }.joined(separator: ", ") + "]"
        }
        return "[\n" + rows.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n\(indent)]"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    // MARK: reading

    /// The model a file's text describes. `activation` makes the activation a name stands
    /// for, or nil for an unknown name. The parameters are labelled as `mlp` labels them
    /// (`layers[i].W`); the shared generator is not touched.
    public static func decode(_ text: String, activation: (String) -> Activation?) throws(ModelFileError) -> Module {
        let root = try JSONValue.parse(text)
        guard case .object(let top, _) = root else {
            throw ModelFileError("it is not a bp model file: it holds \(root.kindName), not an object with \"format\": \"\(format)\"")
        }
        guard case .string(let f)? = top["format"], f == format else {
            throw ModelFileError("it is not a bp model file: it has no \"format\": \"\(format)\" (save(net, \"file.json\") writes one)")
        }
        guard case .number(let v)? = top["version"] else { throw ModelFileError("the field \"version\" is missing or not a number") }
        guard v == Double(version) else {
            let shown = v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : v.description
            throw ModelFileError("it has version \(shown), which this bp cannot read (it reads version \(version))")
        }
        guard let model = top["model"] else { throw ModelFileError("the field \"model\" is missing") }
        let m = try layer(model, path: "", activation)
        _ = try check(m, inputs: nil, path: "")
        return m
    }

    static func field(_ o: [String: JSONValue], _ key: String, _ path: String) throws(ModelFileError) -> JSONValue {
        guard let v = o[key] else { throw ModelFileError("\(place(path)): the field \"\(key)\" is missing") }
        return v
    }

    static func place(_ path: String) -> String { path.isEmpty ? "model" : "model." + path }

    static func layer(_ v: JSONValue, path: String, _ activation: (String) -> Activation?) throws(ModelFileError) -> Module {
        guard case .object(let o, _) = v else { throw ModelFileError("\(place(path)): expected a layer (an object), found \(v.kindName)") }
        guard case .string(let kind) = try field(o, "kind", path) else {
            throw ModelFileError("\(place(path)): \"kind\" must be \"dense\", \"sequential\" or \"function\"")
        }
        func act(required: Bool) throws(ModelFileError) -> Activation? {
            let v = required ? try field(o, "activation", path) : (o["activation"] ?? .null)
            switch v {
            case .null where !required: return nil
            case .string(let name):
                guard let a = activation(name) else { throw ModelFileError("\(place(path)): unknown activation '\(name)' (it must name a builtin function, such as sigmoid, relu or tanh)") }
                return a
            default:
                throw ModelFileError("\(place(path)): \"activation\" must be the name of a function\(required ? "" : " or null"), found \(v.kindName)")
            }
        }
        switch kind {
        case "sequential":
            guard case .array(let items) = try field(o, "layers", path), !items.isEmpty else {
                throw ModelFileError("\(place(path)): \"layers\" must be a non-empty list of layers")
            }
            var layers: [Module] = []
            for (k, item) in items.enumerated() {
                layers.append(try layer(item, path: prefixed(path, "layers[\(k)]"), activation))
            }
            return Sequential(layers)
        case "function":
            return Lambda(try act(required: true)!)
        case "dense":
            let inputs = try size(o, "inputs", path), outputs = try size(o, "outputs", path)
            guard case .bool(let bias) = try field(o, "bias", path) else {
                throw ModelFileError("\(place(path)): \"bias\" must be true or false")
            }
            let a = try act(required: false)
            let w = try numbers(try field(o, "W", path), rows: inputs, columns: outputs, prefixed(path, "W"), "\(inputs) row\(inputs == 1 ? "" : "s") (the layer's inputs) of \(outputs) number\(outputs == 1 ? "" : "s") (its outputs)")
            var b: [Double]? = nil
            if bias {
                b = try numbers(try field(o, "b", path), rows: 1, columns: outputs, prefixed(path, "b"), "one row of \(outputs) number\(outputs == 1 ? "" : "s") (the layer's outputs)")
            } else if let extra = o["b"], case .null = extra {} else if o["b"] != nil {
                throw ModelFileError("\(place(path)): has \"b\" but \"bias\" is false")
            }
            return Dense(W: w, b: b, inputs: inputs, outputs: outputs, activation: a, name: path.isEmpty ? "" : path + ".")
        default:
            throw ModelFileError("\(place(path)): unknown kind '\(kind)' (expected \"dense\", \"sequential\" or \"function\")")
        }
    }

    static func size(_ o: [String: JSONValue], _ key: String, _ path: String) throws(ModelFileError) -> Int {
        guard case .number(let d) = try field(o, key, path), d >= 1, d <= 1e9, d == d.rounded() else {
            throw ModelFileError("\(place(path)): \"\(key)\" must be a whole number of at least 1")
        }
        return Int(d)
    }

    /// A matrix of `rows` rows of `columns` numbers, flattened row by row.
    static func numbers(_ v: JSONValue, rows: Int, columns: Int, _ name: String, _ expected: String) throws(ModelFileError) -> [Double] {
        let shape = "model.\(name) must be \(expected)"
        guard case .array(let r) = v else { throw ModelFileError("\(shape), found \(v.kindName)") }
        guard r.count == rows else { throw ModelFileError("\(shape), found \(r.count) row\(r.count == 1 ? "" : "s")") }
        var out: [Double] = []
        out.reserveCapacity(rows * columns)
        for (i, row) in r.enumerated() {
            guard case .array(let cells) = row else { throw ModelFileError("\(shape), found \(row.kindName) as row \(i)") }
            guard cells.count == columns else { throw ModelFileError("\(shape), found \(cells.count) number\(cells.count == 1 ? "" : "s") in row \(i)") }
            for (j, cell) in cells.enumerated() {
                guard case .number(let d) = cell else { throw ModelFileError("model.\(name)[\(i)][\(j)] must be a number, found \(cell.kindName)") }
                out.append(d)
            }
        }
        return out
    }

    /// Each dense layer takes what the one before gives; returns the model's output width.
    static func check(_ m: Module, inputs: Int?, path: String) throws(ModelFileError) -> Int? {
        switch m {
        case let s as Sequential:
            var width = inputs
            for (k, layer) in s.layers.enumerated() { width = try check(layer, inputs: width, path: prefixed(path, "layers[\(k)]")) }
            return width
        case let d as Dense:
            if let inputs, inputs != d.inputs {
                throw ModelFileError("\(place(path)) takes \(d.inputs) inputs but the layer before it gives \(inputs)")
            }
            return d.outputs
        default:
            return inputs
        }
    }
}
