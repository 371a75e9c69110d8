// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "attributiond",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attributiond", targets: ["attributiond"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    ],
    targets: [
        // C libraries from Debian, through pkg-config.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // glibc's <malloc.h>, for allocator tuning in the executables.
        .systemLibrary(name: "CMalloc"),

        // Dense Float32 numerics over BLAS/LAPACK, with reverse-mode differentiation.
        .target(name: "Numerics", dependencies: ["COpenBLAS"], swiftSettings: strictSettings),
        // The safetensors file format.
        .target(name: "SafeTensors", swiftSettings: strictSettings),
        // UNet2DModel, DDPM scheduler, checkpoints, data shards, trainer, sampler.
        .target(name: "DiffusionModel", dependencies: ["Numerics", "SafeTensors"], swiftSettings: strictSettings),
        // Influence engine: Kronecker projections, per-example gradients, K-FAC/EK-FAC curvature, scoring.
        .target(name: "Attribution", dependencies: ["DiffusionModel", "Numerics", "COpenBLAS"], swiftSettings: strictSettings),
        // How attribution is judged: the linear datamodelling score protocol, rank statistics, baselines.
        .target(name: "Evaluation", dependencies: ["Attribution", "DiffusionModel", "Numerics", "SafeTensors"], swiftSettings: strictSettings),
        // Indexing a training run into the store and answering attribution queries from it.
        .target(
            name: "Indexing",
            dependencies: ["Attribution", "AttributionStore", "DiffusionModel", "LMDB", "Numerics", "SafeTensors"],
            swiftSettings: strictSettings
        ),
        // Swift bindings over the LMDB C library: environments, transactions, databases, cursors.
        .target(name: "LMDB", dependencies: ["CLMDB"], swiftSettings: strictSettings),
        // The attribution store: the versioned LMDB schema and its record codecs.
        .target(name: "AttributionStore", dependencies: ["LMDB"], swiftSettings: strictSettings),

        .executableTarget(
            name: "attributiond",
            dependencies: [
                "Attribution", "AttributionStore", "CMalloc", "Evaluation", "Indexing", "DiffusionModel", "Numerics", "SafeTensors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "NumericsTests", dependencies: ["Numerics"], swiftSettings: strictSettings),
        .testTarget(
            name: "SafeTensorsTests",
            dependencies: ["SafeTensors"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DiffusionModelTests",
            dependencies: ["DiffusionModel", "Numerics", "SafeTensors"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttributionTests",
            dependencies: ["Attribution", "DiffusionModel", "Numerics"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "DiffusionModel", "Numerics"], swiftSettings: strictSettings),
        .testTarget(
            name: "IndexingTests",
            dependencies: ["Indexing", "Attribution", "AttributionStore", "DiffusionModel", "LMDB", "Numerics"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"], swiftSettings: strictSettings),
        .testTarget(name: "AttributionStoreTests", dependencies: ["AttributionStore", "LMDB"], swiftSettings: strictSettings),
        .testTarget(name: "CLibrariesTests", dependencies: ["COpenBLAS", "CLMDB", "CSystemd"]),
    ],
    swiftLanguageModes: [.v6]
)
