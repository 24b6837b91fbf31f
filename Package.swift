// swift-tools-version:6.0
import PackageDescription

// yourict runs on Linux (it reads files through Glibc, watches folders with inotify and links
// jemalloc); it is built and tested on Debian 12 with Swift 6. See docs/architecture.md.
//
// The targets are the pipeline, in the order data flows through them: each imports only
// targets above it.
//
//   YourICTSupport     diagnostics, time, concurrency helpers
//   YourICTFormats     bytes in and out: files and system calls, text, JSON, YAML, escaping,
//                      hashing (with YourICTTemplates, the only targets with pointer code)
//   YourICTTemplates   the Mustache engine
//   YourICTContent     site.yaml, service sheets, pages, incidents: loaded and validated
//   YourICTMarkdown    cmark-gfm, links, heading ids
//   YourICTMonitoring  monitoring readers, timelines, availability and state
//   YourICTSite        plan, views, pages, machine outputs, writing, the build
//   YourICTPull        `yourict pull prometheus`
//   YourICTPreview     `yourict serve`
//   yourict            the command line
let package = Package(
    name: "yourict",
    products: [
        .executable(name: "yourict", targets: ["yourict"]),
        .library(name: "YourICTSite", targets: ["YourICTSite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // The tests' reference for differential fuzzing of our own Mustache engine
        // (docs/theme.md); pinned, as a new version may change what it renders.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 for asset fingerprints and cache keys (Formats/Hashing/SHA256.swift).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Already used by Hummingbird; named here for serve's graceful shutdown.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Already used by Hummingbird; serve names its channel types.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // jemalloc (Debian's libjemalloc-dev) replaces glibc's allocator in the whole
        // process: a build makes millions of small allocations, which glibc's serves
        // about a fifth slower (docs/performance.md).
        .target(name: "CYourICTSystem", linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]),

        // The pipeline
        .target(name: "YourICTSupport", dependencies: ["CYourICTSystem"]),
        .target(
            name: "YourICTFormats",
            dependencies: ["YourICTSupport", "CYourICTSystem", .product(name: "Yams", package: "Yams"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "YourICTTemplates",
            dependencies: ["YourICTFormats"]
        ),
        .target(name: "YourICTContent", dependencies: ["YourICTFormats"]),
        .target(name: "YourICTMarkdown", dependencies: ["YourICTContent", "CCmarkGFM"]),
        .target(name: "YourICTMonitoring", dependencies: ["YourICTContent"]),
        .target(
            name: "YourICTSite",
            dependencies: ["YourICTTemplates", "YourICTMarkdown", "YourICTMonitoring", "CYourICTSystem"],
            plugins: ["EmbedTheme"]
        ),
        .target(name: "YourICTPull", dependencies: ["YourICTMonitoring"]),
        .target(
            name: "YourICTPreview",
            dependencies: [
                "YourICTSite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "yourict",
            dependencies: [
                "YourICTSite", "YourICTPull", "YourICTPreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // templates/ is the default theme's only copy: this plugin turns it into Swift
        // source at build time (`DefaultTheme`), which `yourict init` writes out.
        .executableTarget(name: "embed-theme"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["embed-theme"]),

        // Tools: benchmarks (docs/performance.md) and fuzzing (docs/fuzzing.md). Without
        // the fuzzing flags, yourict-fuzz builds a replay tool for the inputs it is given.
        .executableTarget(
            name: "yourict-bench",
            dependencies: ["YourICTSite", "YourICTMonitoring", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "yourict-fuzz", dependencies: ["YourICTSite", .product(name: "Yams", package: "Yams")]),

        // Tests, one target per pipeline target (and the CLI), in the same order. The
        // fixture every one of them starts from (a small site in memory) is shared.
        .target(
            name: "YourICTTestSupport",
            dependencies: ["YourICTSite", "YourICTPull", "YourICTPreview"],
            path: "Tests/YourICTTestSupport"
        ),
        // The YAML and template tests use the fuzzing target's differential driver and
        // entry points; swift-mustache is the reference of the Mustache differential tests only.
        .testTarget(name: "YourICTFormatsTests", dependencies: ["YourICTTestSupport", "yourict-fuzz"]),
        .testTarget(name: "YourICTTemplatesTests", dependencies: ["YourICTTestSupport", "yourict-fuzz",
                                                                  .product(name: "Mustache", package: "swift-mustache")]),
        .testTarget(name: "YourICTContentTests", dependencies: ["YourICTTestSupport"]),
        .testTarget(name: "YourICTMarkdownTests", dependencies: ["YourICTTestSupport"]),
        .testTarget(name: "YourICTMonitoringTests", dependencies: ["YourICTTestSupport"]),
        .testTarget(name: "YourICTSiteTests", dependencies: ["YourICTTestSupport"]),
        .testTarget(name: "YourICTPullTests", dependencies: ["YourICTTestSupport"]),
        .testTarget(name: "YourICTPreviewTests", dependencies: ["YourICTTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["YourICTTestSupport"]),
    ]
)
