import BPNet

/// `save(net, "f.json")` and `load("f.json")`: models as JSON files (BPNet's `ModelFile`),
/// written atomically (`AtomicFile`: a temporary file beside it, fsync, rename; mode and
/// symlinks kept). A file that cannot be read as a model is an error naming what is wrong,
/// and nothing in the session changes.
enum ModelFileBuiltins {
    /// The name a model file stores for an activation: a builtin function's. A function of
    /// the program has no name another session could look up.
    static func activationName(_ a: Activation, _ place: String) throws -> String {
        if let f = a.source as? Function {
            if case .builtin = f.body { return f.name }
            throw BPError.runtime("save(): \(place) uses the function '\(f.name)' as an activation; a model file names its activations, so only builtin functions (sigmoid, relu, tanh, ...) can be saved")
        }
        if a.unary != nil { return a.name }
        throw BPError.runtime("save(): \(place) uses an activation ('\(a.name)') a model file cannot name")
    }

    /// The activation a file's name stands for: the builtin of that name, as the session
    /// started (a variable that shadows `relu` does not change what a file means).
    static func activation(_ name: String, _ interp: Interpreter) -> Activation? {
        guard case .function(let f)? = interp.pristine[name], case .builtin = f.body else { return nil }
        return try? NetworkBuiltins.activation(.function(f), interp, "load", "activation")
    }

    static let functions: [Function] = [
        Function.builtin("save", [.any("net"), .string("file")],
            help: "Writes a model (made by mlp, seq or dense) to a JSON file: its layers, sizes, activations (builtin functions, by name), bias flags and every weight, exactly (load gives back the same numbers, bit for bit). The file is replaced atomically: a temporary file beside it, then a rename, keeping the mode of the file it replaces and writing through a symlink.",
            example: "seed(0); net = mlp([2, 3, 1]); save(net, \"/tmp/bp-help-net.json\")") { i, a in
            let m = try NetworkBuiltins.model(a["net"], "save"), file = try a.string("file")
            let text: String
            do {
                text = try ModelFile.encode(m, activationName: activationName)
            } catch let e as ModelFileError {
                throw BPError.runtime("save(): \(e.message)", at: a.loc)
            }
            try i.writeText(text, to: file, for: "save()")
            return .none
        },
        Function.builtin("load", [.string("file")],
            help: "Reads a model written by save: the same layers, activations and weights (as leaves, labelled layers[i].W and layers[i].b as mlp labels them). A file that is not a model file, or is truncated or damaged, is an error naming what is wrong.",
            example: "net = load(\"xor_model.json\"); net   # <network 2-4-1, 17 parameters>") { i, a in
            let file = try a.string("file")
            let text = try i.readText(file, for: "load()")
            let m: Module
            do {
                m = try ModelFile.decode(text) { activation($0, i) }
            } catch let e as ModelFileError {
                throw BPError.runtime("load(): '\(file)': \(e.message)", at: a.loc)
            }
            return NetworkBuiltins.value(m)
        },
    ]
}
