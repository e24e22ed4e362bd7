import FuzzSupport

// libFuzzer target: the evaluator. The first byte chooses the mode (script, --check, or
// shell lines through ShellInput + Session.evaluate); the rest is the program. Each run
// gets a fresh session, a 200 ms watchdog and a lower call-depth limit (FuzzHarness).
// This file must stay the target's only one: libFuzzer supplies main.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let mode = FuzzHarness.Mode(rawValue: data[0] % UInt8(FuzzHarness.Mode.allCases.count))!
    FuzzHarness.evaluate(String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self), mode: mode)
    return 0
}
