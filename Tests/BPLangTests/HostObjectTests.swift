import Testing
@testable import BPLang
import BPTestSupport

/// A host object made for the tests: a counter with two attributes and a method.
final class Counter: HostObject {
    var count = 0
    let label: String
    init(_ label: String) { self.label = label }

    var kindName: String { "counter" }
    var attributeNames: [String] { ["count", "label", "bump"] }

    func attribute(_ name: String) throws -> Value? {
        switch name {
        case "count": return .number(Double(count))
        case "label": return .string(label)
        case "bump":
            // a method: a function bound to this object
            return .function(Function(Builtin("bump", [.count("by", 1)], rest: nil, help: nil) { [self] _, a in
                count += try a.count("by")
                return .number(Double(count))
            }))
        default: return nil
        }
    }

    func describe(_ f: Formatter) -> String { "<counter \(label) at \(f.number(Double(count)))>" }
}

@Suite struct HostObjectTests {
    /// A session with counters `c` (returned too) and `d` bound, its output and errors collected.
    func fixture() -> (CapturedSession, Counter) {
        let x = CapturedSession(), c = Counter("clicks")
        x.interp.define("c", .host(c))
        x.interp.define("d", .host(Counter("other")))
        return (x, c)
    }

    @Test func printsAsItDescribesItself() {
        let (x, counter) = fixture()
        counter.count = 3
        #expect(x.run("print(c); print(str(d) + \"!\")") == .ok)
        #expect(x.out == "<counter clicks at 3>\n<counter other at 0>!\n")
    }

    @Test func attributesAndMethods() {
        let (x, counter) = fixture()
        #expect(x.run("print(c.label, c.count); c.bump(); c.bump(by=4); print(c.count)") == .ok)
        #expect(x.out == "clicks 0\n5\n")
        #expect(counter.count == 5)
    }

    @Test func anUnknownAttributeIsAnErrorWithASuggestion() {
        let (x, _) = fixture()
        #expect(x.run("n = 1\nn = c.cuont") == .runtimeError)
        #expect(x.err.contains("t.bp:2:5: error: a counter has no attribute 'cuont'; did you mean 'count'?"), "\(x.err)")
    }

    @Test func truthAndIdentity() {
        let (x, _) = fixture()
        #expect(x.run("e = c; print(c == e, c == d, c != d); if c { print(\"yes\") }") == .ok)
        #expect(x.out == "true false true\nyes\n")
    }

    @Test func theShellCompletesItsAttributes() {
        let (x, _) = fixture()
        #expect(x.session.completions(for: "c.", before: "") == ["c.count", "c.label", "c.bump"])
        #expect(x.session.completions(for: "c.b", before: "") == ["c.bump"])
    }

    @Test func varsListsIt() {
        let (x, counter) = fixture()
        counter.count = 7
        let row = x.session.vars().split(separator: "\n").first { $0.hasPrefix("c ") }.map(String.init) ?? ""
        #expect(row.contains("counter"), "\(row)")
        #expect(row.contains("<counter clicks at 7>"), "\(row)")
    }
}
