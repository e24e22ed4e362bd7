import BPTensor
import Testing
@testable import BPLang
import BPTestSupport

/// Builtins are declared once (parameters with kinds, help beside them), bound by the same
/// path as user functions, and read their arguments by name with checked conversions.
@Suite struct BuiltinArgumentTests {
    /// The error line of a script, without the `t.bp:L:C: error: ` prefix.
    func message(_ source: String) -> String {
        let err = run(source).err
        let first = err.split(separator: "\n").first.map(String.init) ?? ""
        return first.range(of: "error: ").map { String(first[$0.upperBound...]) } ?? first
    }

    /// A user function and a builtin with the same parameters fail a call in the same words.
    @Test(arguments: [
        "F(1, 2, 3, 4)",          // too many
        "F(1, 2, 3, lo=0)",       // two values
        "F(1, 2, 3, hi=2, hi=3)", // two values through keywords
        "F(1, 2, hl=3)",          // unknown keyword, with a suggestion
        "F(1, hi=3)",             // missing
        "F(x=1, lo=2, hi=3, k=4)",
    ])
    func userFunctionsAndBuiltinsBindAlike(_ call: String) {
        let user = message("def clip2(x, lo, hi) = x\n" + call.replacingOccurrences(of: "F(", with: "clip2("))
        let builtin = message(call.replacingOccurrences(of: "F(", with: "clip("))
        #expect(!builtin.isEmpty)
        #expect(user == builtin.replacingOccurrences(of: "clip()", with: "clip2()"), "\(call)")
    }

    @Test func keywordsReachTheirParametersInAnyOrder() {
        #expect(output("print(clip(hi=1, lo=0, x=[-2, 0.5, 3]))") == output("print(clip([-2, 0.5, 3], 0, 1))"))
        #expect(output("print(linspace(n=3, b=1, a=0))") == output("print(linspace(0, 1, 3))"))
        #expect(output("print(sum(keepdims=true, x=ones(2, 3), axis=1))") == output("print(sum(ones(2, 3), 1, true))"))
    }

    /// Each check names the builtin and the parameter, and exists once.
    @Test(arguments: [
        ("round(1, 2.5)", "round()'s n must be a whole number, found 2.5"),
        ("eye(2^60)", "eye()'s n is too large"),
        ("eye(-1)", "eye()'s n must be at least 0, found -1"),
        ("linspace(0, 1, -3)", "linspace()'s n must be at least 0, found -3"),
        ("zeros(2, -1)", "a size in zeros() must be at least 0, found -1"),
        ("zeros([2, 1.5])", "a size in zeros() must be a whole number, found 1.5"),
        ("sum(ones(2, 2), axis=2)", "sum(): axis 2 is out of range for a tensor with 2 dimensions"),
        ("softmax(ones(3), axis=-2)", "softmax(): axis -2 is out of range for a tensor with 1 dimension"),
        ("mean(ones(2, 2), axis=[1, -1])", "mean(): axis 1 is given twice in 'axis'"),
        ("argmax(ones(2), axis=0.5)", "argmax()'s axis must be a whole number, found 0.5"),
        ("range(1, 2.5)", "range()'s end must be a whole number, found 2.5"),
        ("clip(1, \"a\", 2)", "clip() expects a number for 'lo', found a string"),
        ("sum(1, keepdims=\"yes\")", "sum() expects true or false for 'keepdims', found a string"),
        ("where([1, 0], \"a\", 2)", "where() expects a number or tensor for 'a', found a string"),
    ])
    func checkedConversionsNameTheBuiltinAndTheParameter(_ code: String, _ expected: String) {
        let m = message(code)
        #expect(m.hasPrefix(expected), "\(code): \(m)")
    }

    /// A builtin declared in a test: the declaration gives the signature and the help, and
    /// each kind's reader checks its argument.
    @Test func aNewBuiltinIsOneDeclaration() {
        let c = CapturedSession()
        let f = Function.builtin("fit", [.tensor("x"), .count("epochs", 10), .number("lr", 0.1), .bool("verbose", false),
                                         BuiltinParam.string("name").orNone],
                                 help: "Fits nothing, as a test.", example: "fit(1)") { _, a in
            let x = try a.tensor("x"), epochs = try a.count("epochs"), lr = try a.number("lr")
            let name = a.isNone("name") ? "-" : try a.string("name")
            return .string("\(x.count) \(epochs) \(lr) \(try a.bool("verbose")) \(name) \(a.isGiven("lr"))")
        }
        #expect(f.signature == "fit(x, epochs=10, lr=0.1, verbose=false, name=none)")
        #expect(f.help?.text == "Fits nothing, as a test.")
        c.interp.define("fit", .function(f))
        #expect(c.run("print(fit([1, 2], lr=0.5, name=\"a\"))") == .ok)
        #expect(c.out == "2 10 0.5 false a true\n")
        #expect(c.run("fit(1, epochs=-2)") == .runtimeError)
        #expect(c.err.contains("fit()'s epochs must be at least 0, found -2"))
        #expect(c.run("fit(1, name=3)") == .runtimeError)
        #expect(c.err.contains("fit() expects a string for 'name', found a number"))
    }

    /// Every element-wise operation of the engine is a builtin with its help.
    @Test func everyUnaryOperationIsADocumentedBuiltin() {
        let i = Interpreter()
        for op in UnaryFunction.allCases where op != .neg {
            #expect(i.builtinHelp(op.rawValue) != nil, "\(op.rawValue) has no builtin with help")
        }
    }
}
