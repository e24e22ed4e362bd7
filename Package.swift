// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: BPTensor <- BPNet <- BPLang <- BPShell <- bp; BPLang -> BPPlot
// (pictures as text or SVG, no dependencies).
// Only BPShell links libedit, so every library test runs without a terminal.
// The interpreter's hot loops touch its stack and globals millions of times a second;
// dynamic exclusivity checks were ~20% of a loop's time (perf, bench/loop.bp), so release
// builds of the engine rely on the static checks alone. Atomic reference counting was 14% of
// the XOR lesson's loop: release builds count without atomic instructions, and one thread at
// a time runs the engine (EngineLock.swift; no engine module starts a thread: Graphviz's
// child process lives in BPGraphviz). Debug builds (tests) keep the checks and atomic counts.
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked", "-Xfrontend", "-assume-single-threaded"],
                 .when(configuration: .release)),
]

let package = Package(
    name: "bp",
    products: [
        .executable(name: "bp", targets: ["bp"]),
        .library(name: "BPLang", targets: ["BPLang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // element kernels in C for what Swift cannot say: per-function CPU targets (AVX2 and FMA
        // chosen at run time, the binary still runs on any x86-64 or arm64) and gathers.
        // No contraction of a * b + c into an FMA the source does not write: the bits are
        // glibc's and the scalar loops'.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-gdwarf-4", "-ffp-contract=off"])]),
        .target(name: "BPTensor", dependencies: ["CKernels"], swiftSettings: engineSettings),
        // networks, losses, optimizers, the training loop and data sets: no terminal code
        .target(name: "BPNet", dependencies: ["BPTensor"], swiftSettings: engineSettings),
        // pictures: pure functions from numbers to text or SVG
        .target(name: "BPPlot"),
        // C's snprintf for one number (Swift cannot call a variadic C function directly).
        // DWARF 4: valgrind 3.19 (callgrind, the profiles of docs/performance.md) gives up on
        // clang's default DWARF 5 line tables in a C object.
        .target(name: "CFormat", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // Graphviz's dot run as a child process: threads, so outside the engine's modules
        .target(name: "BPGraphviz"),
        .target(name: "BPLang", dependencies: ["BPTensor", "BPNet", "BPPlot", "CFormat", "BPGraphviz"], swiftSettings: engineSettings),
        .systemLibrary(
            name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "BPShell", dependencies: ["BPLang", "CLibEdit"]),
        .executableTarget(
            name: "bp",
            dependencies: [
                "BPShell", "BPLang", "CKernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // the Swift runtime and Foundation linked in: resolving their symbols in shared
            // libraries was half of `bp -e 1`'s start-up (callgrind: dl-lookup). The linker
            // does not follow the static Foundation's own dependencies: they are named here.
            linkerSettings: [.unsafeFlags([
                "-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims",
                "-l_FoundationCollections", "-lswiftSynchronization",
            ], .when(configuration: .release))]),
        .testTarget(name: "BPTensorTests", dependencies: ["BPTensor", "CKernels"]),
        .testTarget(name: "BPNetTests", dependencies: ["BPNet", "BPTensor"]),
        .testTarget(name: "BPPlotTests", dependencies: ["BPPlot"]),
        // what the library's test suites share: a session with its output captured
        .target(name: "BPTestSupport", dependencies: ["BPLang"], path: "Tests/BPTestSupport"),
        .testTarget(name: "BPLangTests", dependencies: ["BPLang", "BPTensor", "BPTestSupport"]),
        .testTarget(name: "BPShellTests", dependencies: ["BPShell"]),
        .testTarget(name: "bpTests", dependencies: ["bp"]),
    ],
    swiftLanguageModes: [.v6]
)
