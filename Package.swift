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
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .executableTarget(
            name: "BookingGatewayCLI",
            dependencies: [
                "FHIRModel",
                "CLibXML2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        .testTarget(
            name: "BookingGatewayCLITests",
            dependencies: ["FHIRModel", "FHIRTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
