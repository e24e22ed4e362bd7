import FuzzSupport

// libFuzzer target: the lexer, parser and compiler (`bp --check`) on arbitrary text.
// This file must stay the target's only one: libFuzzer supplies main.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.parse(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}
