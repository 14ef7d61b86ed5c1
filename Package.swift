// swift-tools-version: 6.0
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode with complete concurrency checking,
/// explicit existentials and import visibility, as in the Swift server ecosystem's best packages.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "catfee-worker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "catfee-worker", targets: ["catfee-worker"]),
        .executable(name: "catfee-bench", targets: ["catfee-bench"]),
    ],
    targets: [
        // MARK: C libraries from Debian, wrapped once each.
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),

        // MARK: Swift modules, in data-flow order.
        .target(name: "Locking", swiftSettings: swiftSettings),
        .target(name: "JSON", swiftSettings: swiftSettings),
        .target(name: "Kafka", dependencies: ["CRdKafka", "Locking"], swiftSettings: swiftSettings),
        .target(name: "CatFee", dependencies: ["JSON", "Locking", "COpenSSL", "CCurl"], swiftSettings: swiftSettings),
        .target(
            name: "CatFeeSimulator",
            dependencies: ["JSON", "Locking", "COpenSSL", "CMicroHTTPD"],
            swiftSettings: swiftSettings
        ),
        .target(name: "Worker", dependencies: ["JSON", "Locking", "Kafka", "CatFee"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "catfee-worker",
            dependencies: ["Worker", "Kafka", "CatFee", "CatFeeSimulator", "JSON"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "catfee-bench",
            dependencies: ["Kafka", "JSON", "Locking", "CatFee", "CatFeeSimulator"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests, one target per module plus the process-level suite.
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"], swiftSettings: swiftSettings),
        .testTarget(name: "CatFeeTests", dependencies: ["CatFee", "JSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CatFeeSimulatorTests",
            dependencies: ["CatFeeSimulator", "JSON"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["Worker", "Kafka", "CatFee", "CatFeeSimulator", "JSON", "Locking"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Worker", "Kafka", "CatFee", "CatFeeSimulator", "JSON"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProcessTests",
            dependencies: ["Kafka", "CatFee", "CatFeeSimulator", "JSON"],
            swiftSettings: swiftSettings
        ),
    ]
)
