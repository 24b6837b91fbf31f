// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "yourict",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "yourict", targets: ["yourict"]),
        .library(name: "YourICT", targets: ["YourICT"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The tests' reference for differential fuzzing of our own Mustache engine
        // (docs/theme.md); pinned, as a new version may change what it renders.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already used by Hummingbird; named here for serve's graceful shutdown.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // jemalloc (Debian's libjemalloc-dev) replaces glibc's allocator in the whole
        // process: a build makes millions of small allocations, which glibc's serves
        // about a fifth slower (docs/performance.md).
        .target(name: "CYourICTSystem", linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]),
        .target(
            name: "YourICT",
            dependencies: [
                "CCmarkGFM",
                "CYourICTSystem",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "YourICTServer",
            dependencies: [
                "YourICT",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "yourict",
            dependencies: [
                "YourICT",
                "YourICTServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "yourict-bench",
            dependencies: [
                "YourICT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer target over front matter, YAML, Markdown and monitoring input; see
        // docs/fuzzing.md for the build command. Without the fuzzing flags it builds a
        // replay tool that runs the inputs named on its command line.
        .executableTarget(
            name: "yourict-fuzz",
            dependencies: ["YourICT"]
        ),
        .testTarget(
            name: "YourICTTests",
            // swift-mustache is the reference of the Mustache differential tests only.
            dependencies: ["YourICT", "YourICTServer", .product(name: "Mustache", package: "swift-mustache")]
        ),
    ]
)
