/// An object the host program (Swift) hands to bp programs: a network, an optimizer, a
/// layer, a data set. bp holds it by reference as the value `.host(obj)` and asks it only
/// what this protocol says, so a new kind of object needs no change to the interpreter:
///
/// - `print(net)` and `str(net)` show `describe(_:)`, and so does the value column of `:vars`,
///   whose kind column shows `kindName`;
/// - `net.name` reads `attribute("name")`; a name it does not know (nil) is an error that
///   lists `attributeNames` ("a network has no attribute 'wieghts'; did you mean
///   'weights'?"), and an error it throws is reported at the attribute;
/// - a method is an attribute whose value is a function (`.function(Function.builtin(...))`
///   bound to the object), so `net.step(0.1)` is a call like any other;
/// - the shell completes `net.` with `attributeNames`;
/// - it is true in a condition, and `a == b` compares identity (the same object).
///
/// Objects are used from the interpreter's thread only.
public protocol HostObject: AnyObject {
    /// The kind, as errors and `:vars` name it: "network", "optimizer".
    var kindName: String { get }
    /// The attributes `obj.name` can read, in the order completion lists them.
    var attributeNames: [String] { get }
    /// The attribute's value, or nil when the object has no such attribute.
    func attribute(_ name: String) throws -> Value?
    /// The text `print` shows: `<network 2-4-1, 17 parameters>`.
    func describe(_ f: Formatter) -> String
}
