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
        .executable(name: "attributionctl", targets: ["attributionctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
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
        // Shapley values from coalition values: exact enumeration, KernelSHAP and permutation
        // sampling with standard errors, resumable from a saved state.
        .target(name: "Shapley", swiftSettings: strictSettings),
        // Global properties of a model to credit: held-out loss, class diversity of samples,
        // kernel distance to held-out data; their gradients for influence-based credit.
        .target(name: "ModelProperties", dependencies: ["DiffusionModel", "Numerics"], swiftSettings: strictSettings),
        // Coalition games over contributors' data: retraining, sparsified fine-tuning (magnitude
        // pruning, recovery, per-coalition fine-tuning), and influence-based credit.
        .target(name: "ContributorValuation", dependencies: ["DiffusionModel", "Numerics", "SafeTensors"], swiftSettings: strictSettings),
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

        // Swift over libsystemd: readiness notification, watchdog, socket activation, journald logging.
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // inotify: watching a directory tree for files that are complete.
        .target(
            name: "FileWatching",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strictSettings
        ),
        // The socket protocol: JSON-RPC 2.0 envelopes and every method's parameters and results.
        .target(name: "AttributionProtocol", swiftSettings: strictSettings),
        // The daemon: configuration, watcher-driven ingest, the JSON-RPC server, probes, systemd glue.
        .target(
            name: "AttributionDaemon",
            dependencies: [
                "Attribution", "AttributionProtocol", "AttributionStore", "ContributorValuation", "DiffusionModel", "FileWatching",
                "Indexing", "LMDB", "ModelProperties", "Numerics", "SafeTensors", "Shapley", "Systemd",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        // A client of the daemon's socket, for attributionctl and tests.
        .target(
            name: "AttributionClient",
            dependencies: ["AttributionProtocol", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strictSettings
        ),

        .executableTarget(
            name: "attributiond",
            dependencies: [
                "Attribution", "AttributionClient", "AttributionDaemon", "AttributionProtocol", "AttributionStore", "CMalloc",
                "ContributorValuation", "Evaluation", "Indexing", "DiffusionModel", "ModelProperties", "Numerics", "SafeTensors",
                "Shapley", "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "attributionctl",
            dependencies: [
                "AttributionClient", "AttributionProtocol", "DiffusionModel", "Numerics",
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
        .testTarget(name: "ShapleyTests", dependencies: ["Shapley"], swiftSettings: strictSettings),
        .testTarget(name: "ModelPropertiesTests", dependencies: ["ModelProperties", "DiffusionModel", "Numerics"], swiftSettings: strictSettings),
        .testTarget(
            name: "ContributorValuationTests",
            dependencies: ["ContributorValuation", "DiffusionModel", "Numerics"],
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
        .testTarget(
            name: "SystemdTests",
            dependencies: ["Systemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "FileWatchingTests", dependencies: ["FileWatching"], swiftSettings: strictSettings),
        .testTarget(name: "AttributionProtocolTests", dependencies: ["AttributionProtocol"], swiftSettings: strictSettings),
        .testTarget(
            name: "AttributionDaemonTests",
            dependencies: [
                "Attribution", "AttributionDaemon", "AttributionClient", "AttributionProtocol", "AttributionStore", "DiffusionModel", "Indexing",
                "Numerics", "LMDB", "Shapley",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttributionClientTests",
            dependencies: ["AttributionClient", "AttributionProtocol", "attributionctl", "DiffusionModel", "Numerics", "SafeTensors"],
            swiftSettings: strictSettings
        ),
        // Runs the built executables as processes: reliability, socket activation, units.
        .testTarget(
            name: "DaemonProcessTests",
            dependencies: ["AttributionClient", "AttributionProtocol", "DiffusionModel", "Numerics", "SafeTensors"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CLibrariesTests", dependencies: ["COpenBLAS", "CLMDB", "CSystemd"]),
    ],
    swiftLanguageModes: [.v6]
)
