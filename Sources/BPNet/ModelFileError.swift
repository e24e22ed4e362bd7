/// Why a model file could not be read or a model not written as one; the message names the
/// place (`line 3, column 7: ...`, `layers[1].W: ...`). The language adds the file's name.
public struct ModelFileError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
