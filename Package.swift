// swift-tools-version:6.1
import PackageDescription

// Targets follow the data flow of ARCHITECTURE.md; each may import only the ones above it.
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "lookout",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lookout", targets: ["lookout"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // C shims for the variadic C APIs Swift cannot call.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("ssl"), .linkedLibrary("crypto")]),
        .target(name: "CSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "CSnappy", linkerSettings: [.linkedLibrary("snappy")]),
        // libxcrypt, for bcrypt password hashes.
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        // A prefetch hint for the exposition parser's hash table (header only).
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),

        .target(name: "Model", swiftSettings: swift6),
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: swift6),
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: swift6),
        .target(name: "Config", dependencies: ["Model", .product(name: "Yams", package: "Yams")], swiftSettings: swift6),
        .target(name: "Exposition", dependencies: ["Model", "CPrefetch"], swiftSettings: swift6),
        .target(name: "Collect", dependencies: [
            "Model", "Config", "Curl", "Exposition", "SQLite",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "Storage", dependencies: ["Model", "SQLite"], swiftSettings: swift6),
        .target(name: "Query", dependencies: ["Model"], swiftSettings: swift6),
        .target(name: "Rules", dependencies: [
            "Model", "Config", "Query", "Storage",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: swift6),
        .target(name: "Notify", dependencies: [
            "Model", "Config", "Storage",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "Channels", dependencies: [
            "Model", "Config", "Notify", "Curl",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "Forward", dependencies: [
            "Model", "Config", "Curl", "SQLite", "CSnappy",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "Server", dependencies: [
            "Model", "Config", "Query", "Rules", "Notify", "Storage", "CCrypt",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ], swiftSettings: swift6),
        .target(name: "Daemon", dependencies: [
            "Model", "Config", "Curl", "Collect", "Storage", "Query", "Rules", "Notify", "Channels", "Server",
            "Forward", "CCurl", "CSQLite",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ], swiftSettings: swift6),
        .executableTarget(name: "lookout", dependencies: [
            "Daemon", "Model", "Config", "Storage", "Query", "Rules", "Notify", "Channels", "Curl",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "TestSupport", dependencies: ["Model", "SQLite", .product(name: "Logging", package: "swift-log")], swiftSettings: swift6),

        // Benchmarks: release-built executables that print their figures (`swift run -c release NAME`).
        .executableTarget(name: "StorageBench", dependencies: ["Storage", "Model", "SQLite"], path: "Benchmarks/StorageBench", swiftSettings: swift6),
        .executableTarget(name: "NotifyBench", dependencies: [
            "Notify", "Channels", "Curl", "Model", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/NotifyBench", swiftSettings: swift6),
        .executableTarget(name: "RegexBench", dependencies: ["Model"], path: "Benchmarks/RegexBench", swiftSettings: swift6),
        .executableTarget(name: "ParserBench", dependencies: ["Exposition", "Model"], path: "Benchmarks/ParserBench",
                          exclude: ["python_parse_bench.py", "prom_parse_bench.go", "prom_parse_bench.sh"], swiftSettings: swift6),
        .executableTarget(name: "ProbeBench", dependencies: ["Collect", "Curl", "Model"], path: "Benchmarks/ProbeBench", swiftSettings: swift6),
        .executableTarget(name: "QueryBench", dependencies: ["Query", "Model", "Storage", "TestSupport"], path: "Benchmarks/QueryBench", swiftSettings: swift6),
        .executableTarget(name: "RulesBench", dependencies: [
            "Rules", "Query", "Model", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/RulesBench", swiftSettings: swift6),
        .executableTarget(name: "RemoteWriteBench", dependencies: [
            "Forward", "Config", "Curl", "Exposition", "Model", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/RemoteWriteBench", exclude: ["fake_target.py"], swiftSettings: swift6),
        .executableTarget(name: "StatusPageBench", dependencies: ["Server", "Model", "TestSupport", .product(name: "Logging", package: "swift-log")], path: "Benchmarks/StatusPageBench", swiftSettings: swift6),

        // Tests (Swift Testing).
        .testTarget(name: "ModelTests", dependencies: ["Model"], exclude: ["testdata"], swiftSettings: swift6),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Model", "TestSupport"], resources: [.copy("testdata")], swiftSettings: swift6),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "Model", "TestSupport"], resources: [.copy("testdata")], swiftSettings: swift6),
        .testTarget(name: "CollectTests", dependencies: ["Collect", "TestSupport"], exclude: ["testdata"], swiftSettings: swift6),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Model", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Model", "TestSupport"], resources: [.copy("testdata")], swiftSettings: swift6),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "TestSupport"], resources: [.copy("testdata")], swiftSettings: swift6),
        .testTarget(name: "NotifyTests", dependencies: ["Notify", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ChannelsTests", dependencies: ["Channels", "TestSupport"], exclude: ["testdata"], swiftSettings: swift6),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ForwardTests", dependencies: ["Forward", "TestSupport"], exclude: ["testdata"], swiftSettings: swift6),
        .testTarget(name: "ServerTests", dependencies: ["Server", "TestSupport"], exclude: ["testdata"], swiftSettings: swift6),
    ]
)
