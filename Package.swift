// swift-tools-version:6.1
// Learnbridge: one SwiftPM package, one library + one thin executable per service,
// shared building blocks in Shared/, tests in Tests/, benchmarks in Benchmarks/.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// Every service library is built from the same parts, so they read alike.
let serviceKitDependencies: [Target.Dependency] = [
    "ServiceKit", "Messaging", "Contracts", "Persistence",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "PostgresNIO", package: "postgres-nio"),
    .product(name: "Logging", package: "swift-log"),
]

/// A service: `Services/<Folder>/<Library>` holds the application, `Services/<Folder>/<executable>` its `@main`.
func service(_ folder: String, library: String, executable: String, extra: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: library,
            dependencies: serviceKitDependencies + extra,
            path: "Services/\(folder)/\(library)",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: executable,
            dependencies: [.byName(name: library), "ServiceKit"],
            path: "Services/\(folder)/\(executable)",
            swiftSettings: swiftSettings
        ),
    ]
}

let package = Package(
    name: "learnbridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "identity", targets: ["identity"]),
        .executable(name: "attendance", targets: ["attendance"]),
        .executable(name: "progression", targets: ["progression"]),
        .executable(name: "reporting", targets: ["reporting"]),
        .executable(name: "filetransfer", targets: ["filetransfer"]),
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "notifier", targets: ["notifier"]),
        .executable(name: "event-pipeline-benchmark", targets: ["EventPipelineBenchmark"]),
        .executable(name: "attendance-benchmark", targets: ["AttendanceBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // MARK: Shared building blocks
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Shared/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            path: "Shared/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Spreadsheets",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Shared/Spreadsheets",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AMQPClient",
            dependencies: [
                "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/AMQPClient",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Persistence",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Persistence",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Contracts",
            path: "Shared/Contracts",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Replicas",
            dependencies: [
                "Contracts",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Replicas",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Messaging",
            dependencies: [
                "AMQPClient", "Contracts", "Persistence",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/Messaging",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "AMQPClient", "Messaging", "Contracts", "Persistence",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),
    ]
    // MARK: Services
    + service("Identity", library: "IdentityService", executable: "identity",
              extra: ["Spreadsheets",
                      .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                      .product(name: "Crypto", package: "swift-crypto"),
                      .product(name: "JWTKit", package: "jwt-kit")])
    + service("Attendance", library: "AttendanceService", executable: "attendance", extra: ["Spreadsheets", "Replicas"])
    + service("Progression", library: "ProgressionService", executable: "progression")
    + service("Reporting", library: "ReportingService", executable: "reporting")
    + service("FileTransfer", library: "FileTransferService", executable: "filetransfer",
              extra: ["Replicas", .product(name: "Crypto", package: "swift-crypto"),
                      .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                      .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")])
    + service("Gateway", library: "GatewayService", executable: "gateway",
              extra: [.product(name: "AsyncHTTPClient", package: "async-http-client"),
                      .product(name: "HTTPTypes", package: "swift-http-types")])
    + service("Notifier", library: "NotifierService", executable: "notifier",
              extra: ["CCurl", .product(name: "Mustache", package: "swift-mustache")])
    + [
        // MARK: Benchmarks
        .target(
            name: "BenchmarkSupport",
            dependencies: ["AMQPClient", "Persistence", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/Support",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "EventPipelineBenchmark",
            dependencies: ["BenchmarkSupport", "Messaging", "ServiceKit", "Contracts", "AMQPClient",
                           .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Benchmarks/EventPipeline",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AttendanceBenchmark",
            dependencies: ["BenchmarkSupport", "AttendanceService", "GatewayService", "ServiceKit", "Messaging", "Contracts", "Persistence", "AMQPClient",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "JWTKit", package: "jwt-kit"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Benchmarks/AttendanceBenchmark",
            swiftSettings: swiftSettings
        ),
        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["ServiceKit", "Messaging", "AMQPClient", "Contracts", "Persistence",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "JWTKit", package: "jwt-kit"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SpreadsheetsTests", dependencies: ["Spreadsheets"], path: "Tests/SpreadsheetsTests"),
        .testTarget(name: "IdentityTests",
                    dependencies: ["IdentityService", "ServiceKit", "TestSupport", "Messaging", "Contracts", "Persistence", "Spreadsheets",
                                   .product(name: "PostgresNIO", package: "postgres-nio"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "JWTKit", package: "jwt-kit")],
                    path: "Tests/IdentityTests"),
        .testTarget(name: "AttendanceTests",
                    dependencies: ["AttendanceService", "ServiceKit", "TestSupport", "Messaging", "Contracts", "Persistence",
                                   "AMQPClient",
                                   .product(name: "PostgresNIO", package: "postgres-nio"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "JWTKit", package: "jwt-kit")],
                    path: "Tests/AttendanceTests"),
        .testTarget(name: "NotifierTests",
                    dependencies: ["NotifierService", "ServiceKit", "TestSupport", "Messaging", "Contracts", "Persistence",
                                   .product(name: "PostgresNIO", package: "postgres-nio")],
                    path: "Tests/NotifierTests"),
        .testTarget(name: "EndToEndTests",
                    dependencies: ["GatewayService", "IdentityService", "NotifierService", "AttendanceService", "FileTransferService",
                                   "ServiceKit", "TestSupport", "AMQPClient", "Messaging",
                                   .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/EndToEndTests"),
        .testTarget(name: "FileTransferTests",
                    dependencies: ["FileTransferService", "ServiceKit", "TestSupport", "Contracts", "Messaging", "AMQPClient",
                                   "Persistence", "Replicas", .product(name: "PostgresNIO", package: "postgres-nio"),
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/FileTransferTests"),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts"], path: "Tests/ContractsTests"),
        .testTarget(name: "MessagingTests",
                    dependencies: ["Messaging", "AMQPClient", "CRabbitMQ", "Contracts", "TestSupport", "ServiceKit", "Persistence", "NotifierService",
                                   "AttendanceService", "FileTransferService",
                                   .product(name: "PostgresNIO", package: "postgres-nio")],
                    path: "Tests/MessagingTests"),
        .testTarget(name: "ServiceKitTests",
                    dependencies: ["ServiceKit", "TestSupport", "Persistence", "ReportingService",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "JWTKit", package: "jwt-kit")],
                    path: "Tests/ServiceKitTests"),
        .testTarget(name: "GatewayTests",
                    dependencies: ["GatewayService", "ServiceKit", "TestSupport", "AMQPClient", "Messaging", "Contracts", "Persistence",
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   "IdentityService", "AttendanceService", "ProgressionService",
                                   "ReportingService", "FileTransferService", "NotifierService",
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "JWTKit", package: "jwt-kit")],
                    path: "Tests/GatewayTests"),
    ]
)
