// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "xinyong",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "xinyong", targets: ["xinyong"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // Pure domain: types, identifier standards, rules, storage ports. Foundation only.
        .target(
            name: "XinyongCore",
            dependencies: [],
            resources: [.copy("Resources/divisions.tsv"), .copy("Resources/calendar.tsv"), .copy("Resources/catalog.json"), .copy("Resources/measures.json"), .copy("Resources/rights.json")],
            swiftSettings: strict
        ),
        // The transparency log's pure parts: RFC 9162 Merkle tree hashing and proofs, C2SP signed
        // notes and checkpoints (Ed25519 through swift-crypto). No storage, no HTTP.
        .target(
            name: "XinyongLedger",
            dependencies: ["XinyongCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Spreadsheet files: .xlsx read as a bounded stream and written (templates, rejected rows, exports).
        .target(
            name: "XinyongSheets",
            dependencies: ["XinyongCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // SQL persistence for SQLite and PostgreSQL through SQLKit; migrations.
        .target(
            name: "XinyongStore",
            dependencies: [
                "XinyongCore", "XinyongLedger",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // HTTP API and HTML pages. Talks to storage only through XinyongCore's ports.
        .target(
            name: "XinyongWeb",
            dependencies: [
                "XinyongCore", "XinyongSheets", "XinyongLedger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Configuration, wiring, demo data, benchmarks: the composition root.
        .target(
            name: "XinyongApp",
            dependencies: [
                "XinyongCore", "XinyongStore", "XinyongWeb", "XinyongSheets", "XinyongLedger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "xinyong",
            dependencies: [
                "XinyongApp", "XinyongCore", "XinyongStore", "XinyongLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "XinyongTestSupport",
            dependencies: [
                "XinyongApp", "XinyongStore", "XinyongCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "XinyongCoreTests", dependencies: ["XinyongCore"], swiftSettings: strict),
        .testTarget(name: "XinyongLedgerTests", dependencies: ["XinyongLedger", "XinyongCore", .product(name: "Crypto", package: "swift-crypto")],
                    swiftSettings: strict),
        .testTarget(name: "XinyongSheetsTests", dependencies: ["XinyongSheets", "XinyongCore",
                                                            .product(name: "ZIPFoundation", package: "ZIPFoundation")], swiftSettings: strict),
        .testTarget(
            name: "XinyongStoreTests",
            dependencies: ["XinyongStore", "XinyongCore", "XinyongApp", "XinyongTestSupport", "XinyongLedger",
                           .product(name: "SQLKit", package: "sql-kit"), .product(name: "PostgresKit", package: "postgres-kit")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "XinyongWebTests",
            dependencies: [
                "XinyongApp", "XinyongWeb", "XinyongCore", "XinyongStore", "XinyongSheets", "XinyongTestSupport", "XinyongLedger",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
