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
        "str": Help(text: "The text that print would show for x.", example: "print(str(3) + \" apples\")   # 3 apples"),
        "len": Help(text: "The number of elements of a list, characters of a string, numbers of a range, or rows (first axis) of a tensor.", example: "len([1, 2, 3])   # 3"),
        "append": Help(text: "Adds v at the end of the list xs, in place, as Python's xs.append(v). Start with an empty list xs = [] to collect values in a loop.", example: "losses = []; append(losses, 0.5); append(losses, 0.25); losses   # [0.5, 0.25]"),
        "range": Help(text: "A lazy sequence of whole numbers: range(n) is 0..n-1, range(a, b) is a..b-1, range(a, b, step) counts by step (which may be negative).", example: "for i in range(3) { print(i) }"),
        "close": Help(text: "True when every |x - y| <= tol (absolute tolerance); shapes broadcast. Use it in asserts instead of == for computed numbers.", example: "assert close(0.1 + 0.2, 0.3), \"sum\""),
        "float": Help(text: "A number from a string (\"2.5\", \"inf\", \"nan\") or from a one-element value.", example: "float(\"2.5\") * 2   # 5"),
        "round": Help(text: "Rounds to n decimals (default 0), halves to even as NumPy does; works element-wise on tensors.", example: "round(2.5)   # 2, as np.round"),
        "time": Help(text: "Seconds since 1970 as a number; subtract two readings to time a piece of code.", example: "t0 = time(); s = sum(arange(100000)); print(time() - t0)"),
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
        "floor": Help(text: "The largest whole number <= x, element-wise (bp's numbers are floats: floor(7 / 2) is NumPy's 7 // 2). Not differentiable: its gradient is 0.", example: "floor(7 / 2)   # 3"),
        "ceil": Help(text: "The smallest whole number >= x, element-wise. Not differentiable: its gradient is 0.", example: "ceil(3.2)   # 4"),
        "relu": Help(text: "max(x, 0), element-wise. Derivative: 1 where x > 0, else 0 (also at 0, as PyTorch).", example: "x = -2; relu(x)   # 0"),
        "softplus": Help(text: "log(1 + exp(x)), element-wise, computed stably. Derivative: sigmoid(x).", example: "softplus(0)   # 0.693147"),
        "maximum": Help(text: "The element-wise larger of a and b, with broadcasting. The gradient goes to the larger operand; a tie splits it equally (as PyTorch).", example: "maximum(2, 3)   # 3"),
        "minimum": Help(text: "The element-wise smaller of a and b, with broadcasting. The gradient goes to the smaller operand; a tie splits it equally.", example: "minimum(2, 3)   # 2"),
        "backward": Help(text: "Sets every gradient in f's graph to zero, then propagates df/df = 1 (or the seed, of f's shape) back through the graph, summing over all paths. After it, x.grad is df/dx for every leaf and intermediate node. accumulate=true adds to the gradients instead and says which it added to; trace=true prints each accumulation in order. In the shell it prints the gradient of every leaf.", example: "a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f)   # df/db = 8"),
        "grad": Help(text: "grad(y, x) is dy/dx (a tensor of x's shape, or a list for a list of x) without changing any .grad. grad(fn) returns a new function computing the derivative of the scalar function fn with respect to its argument argnum (default 0).", example: "def sq(x) = x ^ 2; d = grad(sq); d(3)   # 6"),
        "zero_grad": Help(text: "Sets the gradients of the given tensors (or lists of tensors) to zero.", example: "w1 = 1; b1 = 2; backward(w1 * b1); zero_grad(w1, b1); w1.grad   # 0"),
        "detach": Help(text: "The same values outside every graph: a constant that never becomes a leaf and through which no gradient flows. Same as const.", example: "a = 3; y = detach(a * 2)   # y is a constant, not a node"),
        "const": Help(text: "The same values outside every graph (a constant). Same as detach.", example: "target = const(0.8)"),
        "copy": Help(text: "An independent copy of x's values; bound at the top level it becomes a new leaf, unlike a plain binding, which shares.", example: "w = 2; w_old = copy(w); w -= 1; w_old   # 2"),
        "numgrad": Help(text: "dy/dx by central differences, (y(x + h) - y(x - h)) / 2h per element, re-evaluating y's recorded graph with x held at the perturbed value; x may be any node of the graph. Zeros when x is not in y's graph.", example: "x = 3; y = x ^ 2; numgrad(y, x)   # 6"),
        "sum": Help(text: "Sums the elements, over every axis (a number) or over axis (a number or a list of axes), keeping reduced axes as size 1 with keepdims=true. The gradient of each element is 1 times the upstream gradient.", example: "sum([[1, 2], [3, 4]], axis=0)   # [4 6]"),
        "mean": Help(text: "The mean over every axis or over axis, like NumPy's mean; keepdims=true keeps the reduced axes as size 1.", example: "mean([[1, 2], [3, 4]], axis=1)   # [1.5000 3.5000]"),
        "norm": Help(text: "The Euclidean norm sqrt(sum(x^2)) over every axis or over axis.", example: "norm([3, 4])   # 5"),
        "max": Help(text: "The largest element, over every axis or over axis (by keyword). With two tensors, max(a, b) is maximum(a, b). The gradient goes to the largest element; ties share it equally.", example: "max([[1, 5], [3, 4]], axis=1)   # [5 4]"),
        "min": Help(text: "The smallest element, over every axis or over axis (by keyword). With two tensors, min(a, b) is minimum(a, b). The gradient goes to the smallest element; ties share it equally.", example: "min([3, 1, 2])   # 1"),
        "argmax": Help(text: "The index of the largest element: of the flattened tensor, or along axis. Not differentiable. Ties pick the first, as NumPy.", example: "argmax([[1, 5], [4, 3]], axis=1)   # [1 0]"),
        "softmax": Help(text: "exp(x) / sum(exp(x)) along axis (default the last), computed stably by subtracting the maximum first.", example: "softmax([1, 2, 3])   # [0.0900 0.2447 0.6652]"),
        "log_softmax": Help(text: "log(softmax(x)) along axis (default the last), computed stably as x - max - log(sum(exp(x - max))).", example: "log_softmax([1, 2, 3])"),
        "clip": Help(text: "Limits every element to [lo, hi]. The gradient is 1 where lo <= x <= hi and 0 outside, as PyTorch's clamp.", example: "clip([-2, 0.5, 3], 0, 1)   # [0.0000 0.5000 1.0000]"),
        "where": Help(text: "a where cond is non-zero (true), else b, element-wise with broadcasting. The gradient flows to a where cond holds and to b elsewhere.", example: "x = [-1, 2]; where(x > 0, x, 0)   # [0 2]"),
        "leaky_relu": Help(text: "x where x > 0, else slope * x (default slope 0.01). Derivative: 1 for x > 0, else slope.", example: "leaky_relu([-2, 3])   # [-0.0200  3.0000]"),
        "reshape": Help(text: "The same elements in another shape (row-major order); one size may be -1 and is then computed. The result is a new tensor (a copy), differentiable.", example: "reshape(arange(6), 2, -1)   # [[0 1 2] [3 4 5]]"),
        "transpose": Help(text: "Reverses the axes: a (n, m) tensor becomes (m, n). Same as x.T.", example: "transpose([[1, 2, 3]])   # a (3, 1) column"),
        "flatten": Help(text: "The elements as a 1-d tensor, row by row.", example: "flatten([[1, 2], [3, 4]])   # [1 2 3 4]"),
        "concat": Help(text: "Joins a list of tensors along an existing axis (default 0); the other sizes must agree. Differentiable.", example: "concat([[1, 2], [3]])   # [1 2 3]"),
        "stack": Help(text: "Joins a list of same-shaped tensors (or numbers) along a new axis (default 0). Differentiable: stack([a, b * 2]) records a graph through a and b.", example: "stack([[1, 2], [3, 4]], axis=1)   # [[1 3] [2 4]]"),
        "hstack": Help(text: "Joins horizontally: 1-d tensors end to end, others along axis 1 (NumPy's hstack).", example: "hstack([[1, 2], [3]])   # [1 2 3]"),
        "vstack": Help(text: "Joins vertically: 1-d tensors become rows, then everything joins along axis 0 (NumPy's vstack).", example: "vstack([[1, 2], [3, 4]])   # [[1 2] [3 4]]"),
        "column_stack": Help(text: "Joins 1-d tensors as columns (and 2-d ones along axis 1), as NumPy's column_stack.", example: "column_stack([[1, 2], [3, 4]])   # [[1 3] [2 4]]"),
        "zeros": Help(text: "A tensor of zeros; the shape is given as sizes (zeros(2, 3)) or a list (zeros([2, 3])). Sizes must be whole numbers.", example: "zeros(2, 3)"),
        "ones": Help(text: "A tensor of ones of the given shape.", example: "ones(3)   # [1 1 1]"),
        "full": Help(text: "A tensor of the given shape filled with value (the last argument).", example: "full(2, 2, 7)   # [[7 7] [7 7]]"),
        "eye": Help(text: "The n-by-n identity matrix.", example: "eye(2)   # [[1 0] [0 1]]"),
        "linspace": Help(text: "n evenly spaced numbers from a to b, both included (NumPy's linspace; n defaults to 50).", example: "linspace(0, 1, 5)   # [0.0000 0.2500 0.5000 0.7500 1.0000]"),
        "arange": Help(text: "Numbers from a (default 0) up to but not including b, by step: arange(n), arange(a, b), arange(a, b, step).", example: "arange(5)   # [0 1 2 3 4]"),
        "seed": Help(text: "Seeds the shared generator (MT19937, 0 <= n < 2^32) exactly as np.random.seed(n) does, so rand, randn and uniform then give NumPy's numbers.", example: "seed(42); rand()   # 0.37454 as np.random.rand()"),
        "rand": Help(text: "Uniform numbers in [0, 1) of the given shape (a number with no shape), NumPy's legacy np.random.rand.", example: "seed(0); rand(2)"),
        "randn": Help(text: "Standard normal numbers of the given shape, NumPy's legacy np.random.randn (polar method, the second value kept for the next call).", example: "seed(42); W1 = randn(2, 4) * 0.5"),
        "uniform": Help(text: "Uniform numbers in [lo, hi) of the given shape, lo + (hi - lo) * rand(), as np.random.uniform.", example: "uniform(-1, 1, 3)"),
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
        let constants = [
            "pi": ("The ratio of a circle's circumference to its diameter (π).", "sin(pi / 2)   # 1"),
            "e": ("Euler's number, the base of the natural logarithm: exp(1) is e.", "log(e)   # 1"),
            "inf": ("Positive infinity: larger than every number, as 1 / 0 and exp(1000) give; -inf is negative infinity.", "min(inf, 3)   # 3"),
            "nan": ("Not a number: the result of undefined arithmetic such as inf - inf. nan is not equal to anything, itself included.", "nan == nan   # false"),
        ]
        if let (text, example) = constants[name], let v = global(name), let p = pristine[name], sameObject(v, p),
           case .number(let x) = v {
            return (x.isFinite ? "\(name) = \(x)\n" : "\(name)\n") + Help.wrap(text + " A predefined constant.") + "\n  Example: \(example)"
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
