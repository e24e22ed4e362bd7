/// A host object that can be called like a function (`net(X)`): the call path hands it the
/// evaluated arguments, checked by the object itself. An error it throws without a location
/// is reported at the call.
public protocol CallableHostObject: HostObject {
    func call(_ interp: Interpreter, _ args: Arguments) throws -> Value
}
