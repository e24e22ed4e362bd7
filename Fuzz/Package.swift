// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for bp, kept out of the main package so its `swift build` and
// `swift test` never build them. Build one target at a time (scripts/fuzz does):
//   swift build --product fuzz-parse --sanitize=fuzzer --sanitize=address \
//     -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
// Each fuzz executable has exactly one file, which exports LLVMFuzzerTestOneInput
// (libFuzzer brings main).
let package = Package(
    name: "bp-fuzz",
    dependencies: [
        // named, so the identity does not depend on the checkout's folder name
        .package(name: "bp", path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "BPLang", package: "bp")]),
        .executableTarget(name: "fuzz-parse", dependencies: ["FuzzSupport"], path: "Sources/FuzzParse"),
        .executableTarget(name: "fuzz-eval", dependencies: ["FuzzSupport"], path: "Sources/FuzzEval"),
    ],
    swiftLanguageModes: [.v5]
)
