// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "booking-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "booking-gateway", targets: ["BookingGatewayCLI"]),
        .library(name: "FHIRModel", targets: ["FHIRModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "FHIRModel",
            dependencies: ["CLibXML2"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FHIRPath",
            dependencies: ["FHIRModel"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FHIRValidation",
            dependencies: ["FHIRModel", "FHIRPath"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Booking",
            swiftSettings: strictSettings
        ),
        .target(
            name: "BookingSQLite",
            dependencies: ["Booking", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DocumentStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FHIRMapping",
            dependencies: ["Booking", "FHIRModel"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FHIRServer",
            dependencies: [
                "Booking", "FHIRModel", "FHIRMapping", "DocumentStore", "FHIRPath", "FHIRValidation",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "BookingGatewayCLI",
            dependencies: [
                "FHIRModel",
                "FHIRPath",
                "FHIRValidation",
                "CLibXML2",
                "Booking",
                "BookingSQLite",
                "FHIRServer",
                "FHIRMapping",
                "DocumentStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FHIRTestSupport",
            dependencies: ["FHIRModel", "CLibXML2"],
            path: "Tests/FHIRTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FHIRModelTests",
            dependencies: ["FHIRModel", "FHIRTestSupport"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BookingTestSupport",
            dependencies: ["Booking"],
            path: "Tests/BookingTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BookingTests",
            dependencies: ["Booking", "BookingTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BookingSQLiteTests",
            dependencies: ["Booking", "BookingSQLite", "BookingTestSupport", "FHIRTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FHIRServerTests",
            dependencies: [
                "FHIRServer", "FHIRModel", "Booking", "BookingSQLite", "DocumentStore", "BookingTestSupport",
                "FHIRTestSupport", "FHIRValidation", "FHIRPath",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FHIRPathTests",
            dependencies: ["FHIRPath", "FHIRModel", "FHIRTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FHIRValidationTests",
            dependencies: ["FHIRValidation", "FHIRPath", "FHIRModel", "FHIRTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BookingGatewayCLITests",
            dependencies: ["FHIRModel", "FHIRTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
