/// One builtin's help: a paragraph and an example (the signature comes from the function).
struct Help {
    let text: String
    let example: String
}

extension Help {
    /// A paragraph wrapped at `width` columns, each line indented by two spaces.
    static func wrap(_ text: String, width: Int = 88) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width - 2 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { "  " + $0 }.joined(separator: "\n")
    }

    static let entries: [String: Help] = [
        "print": Help(text: "Prints its arguments separated by a space, then a new line. Numbers print as integers when whole, tensors as NumPy prints arrays, lists as Python prints them.", example: "print(\"loss\", 0.25, [1, 2])   # loss 0.25 [1, 2]"),
        "str": Help(text: "The text that print would show for x.", example: "str(3) + \" apples\"   # '3 apples'"),
        "len": Help(text: "The number of elements of a list, characters of a string, numbers of a range, or rows (first axis) of a tensor.", example: "len([1, 2, 3])   # 3"),
        "range": Help(text: "A lazy sequence of whole numbers: range(n) is 0..n-1, range(a, b) is a..b-1, range(a, b, step) counts by step (which may be negative).", example: "for i in range(3) { print(i) }"),
        "close": Help(text: "True when every |x - y| <= tol (absolute tolerance); shapes broadcast. Use it in asserts instead of == for computed numbers.", example: "assert close(0.1 + 0.2, 0.3), \"sum\""),
        "float": Help(text: "A number from a string (\"2.5\", \"inf\", \"nan\") or from a one-element value.", example: "float(\"2.5\") * 2   # 5"),
        "round": Help(text: "Rounds to n decimals (default 0), halves to even as NumPy does; works element-wise on tensors.", example: "round(2.675, 2)"),
        "time": Help(text: "Seconds since 1970 as a number; subtract two readings to time a piece of code.", example: "t0 = time(); train_step(); print(time() - t0)"),
        "shape": Help(text: "The shape of a tensor as a list of numbers; a number has shape [].", example: "shape(2)   # []"),
        "size": Help(text: "The number of elements of a tensor (1 for a number).", example: "size(3.5)   # 1"),
        "isnan": Help(text: "Whether x is nan: a bool for a number, a 0/1 tensor of x's shape for a tensor.", example: "isnan(0 / 0)   # true"),
        "any": Help(text: "True when some element of x (a tensor, a list or a bool) is non-zero / true.", example: "any([false, true])   # true"),
        "all": Help(text: "True when every element of x (a tensor, a list or a bool) is non-zero / true.", example: "all([true, true])   # true"),
        "help": Help(text: "Shows a builtin's signature, what it does and an example. In the shell, ?name and :help name do the same.", example: "help(sigmoid)"),
        "exp": Help(text: "e to the power x, element-wise. Derivative: exp(x).", example: "x = 1; y = exp(x); backward(y); x.grad   # 2.71828"),
        "log": Help(text: "Natural logarithm, element-wise. Derivative: 1 / x.", example: "x = 2; backward(log(x)); x.grad   # 0.5"),
        "sqrt": Help(text: "Square root, element-wise. Derivative: 1 / (2 sqrt(x)).", example: "x = 4; backward(sqrt(x)); x.grad   # 0.25"),
        "abs": Help(text: "Absolute value, element-wise. Derivative: sign(x), taken as 0 at 0.", example: "x = -3; backward(abs(x)); x.grad   # -1"),
        "sin": Help(text: "Sine (radians), element-wise. Derivative: cos(x).", example: "x = 0; backward(sin(x)); x.grad   # 1"),
        "cos": Help(text: "Cosine (radians), element-wise. Derivative: -sin(x).", example: "x = pi / 2; backward(cos(x)); x.grad   # -1"),
        "tan": Help(text: "Tangent (radians), element-wise. Derivative: 1 + tan(x)^2.", example: "x = 0; backward(tan(x)); x.grad   # 1"),
        "tanh": Help(text: "Hyperbolic tangent, element-wise. Derivative: 1 - tanh(x)^2.", example: "x = 0; backward(tanh(x)); x.grad   # 1"),
        "sigmoid": Help(text: "The logistic function 1 / (1 + exp(-x)), element-wise, computed stably for large |x|. Derivative: s (1 - s) with s = sigmoid(x).", example: "z = 0; a = sigmoid(z); backward(a); z.grad   # 0.25"),
        "relu": Help(text: "max(x, 0), element-wise. Derivative: 1 where x > 0, else 0 (also at 0, as PyTorch).", example: "x = -2; relu(x)   # 0"),
        "softplus": Help(text: "log(1 + exp(x)), element-wise, computed stably. Derivative: sigmoid(x).", example: "softplus(0)   # 0.693147"),
        "maximum": Help(text: "The element-wise larger of a and b, with broadcasting. The gradient goes to the larger operand; a tie splits it equally (as PyTorch).", example: "maximum(2, 3)   # 3"),
        "minimum": Help(text: "The element-wise smaller of a and b, with broadcasting. The gradient goes to the smaller operand; a tie splits it equally.", example: "minimum(2, 3)   # 2"),
        "backward": Help(text: "Sets every gradient in f's graph to zero, then propagates df/df = 1 (or the seed, of f's shape) back through the graph, summing over all paths. After it, x.grad is df/dx for every leaf and intermediate node. accumulate=true adds to the gradients instead and says which it added to; trace=true prints each accumulation in order. In the shell it prints the gradient of every leaf.", example: "a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f)   # df/db = 8"),
        "grad": Help(text: "grad(y, x) is dy/dx (a tensor of x's shape, or a list for a list of x) without changing any .grad. grad(fn) returns a new function computing the derivative of the scalar function fn with respect to its argument argnum (default 0).", example: "def sq(x) = x ^ 2; d = grad(sq); d(3)   # 6"),
        "zero_grad": Help(text: "Sets the gradients of the given tensors (or lists of tensors) to zero.", example: "zero_grad(w1, b1)"),
        "detach": Help(text: "The same values outside every graph: a constant that never becomes a leaf and through which no gradient flows. Same as const.", example: "y = detach(a * 2)"),
        "const": Help(text: "The same values outside every graph (a constant). Same as detach.", example: "target = const(0.8)"),
        "copy": Help(text: "An independent copy of x's values; bound at the top level it becomes a new leaf, unlike a plain binding, which shares.", example: "w_old = copy(w)"),
        "numgrad": Help(text: "dy/dx by central differences, (y(x + h) - y(x - h)) / 2h per element, re-evaluating y's recorded graph with x held at the perturbed value; x may be any node of the graph. Zeros when x is not in y's graph.", example: "x = 3; y = x ^ 2; numgrad(y, x)   # 6"),
        "gradcheck": Help(text: "Runs backward on y and compares each leaf's gradient with numgrad, printing a table (leaf, analytic, numeric, relative error, ok). Returns true when every element agrees within 1e-5 + 1e-3 |numeric|.", example: "x = 2; y = -3; f = sigmoid(x * y); gradcheck(f)"),
    ]
}

extension Interpreter {
    /// The help text for a name: signature, paragraph, example. An empty name lists topics.
    public func helpText(_ name: String) -> String {
        if name.isEmpty {
            let names = builtinNames.filter { help[$0] != nil }.sorted()
            return "Builtins: " + names.joined(separator: " ") + "\nConstants: pi e inf nan\n"
                + "Type help(name) or ?name for one of them; :help lists the shell's commands."
        }
        if let h = help[name], case .function(let f)? = pristine[name] {
            return "\(f.signature)\n" + Help.wrap(h.text) + "\n  Example: \(h.example)"
        }
        if let v = global(name) {
            switch v {
            case .function(let f): return "\(f.signature)\n  A function you defined."
            default: return "\(name): a \(describe(v)) variable."
            }
        }
        if ["pi", "e", "inf", "nan"].contains(name) { return "\(name): a predefined constant." }
        return "no help for '\(name)'" + suggestion(name, Array(help.keys))
    }
}
