// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features turned on for every target in one place [STYLE: swift-log, Hummingbird].
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Geolith",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "geolith", targets: ["geolith"]),
        .executable(name: "geolith-bench", targets: ["geolith-bench"]),
        .library(name: "ProcessModel", targets: ["ProcessModel"]),
        .library(name: "PlantConfig", targets: ["PlantConfig"]),
        .library(name: "RegisterVocabulary", targets: ["RegisterVocabulary"]),
        .library(name: "Modbus", targets: ["Modbus"]),
        .library(name: "Historian", targets: ["Historian"]),
        .library(name: "HistorianPostgres", targets: ["HistorianPostgres"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "SimulatorRecording", targets: ["SimulatorRecording"]),
        .library(name: "Reporting", targets: ["Reporting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // NIOCore and NIOHTTPTypes (already resolved through Hummingbird): the HTTP server's connection guard is a
        // channel handler (header and idle timeouts, a connection limit).
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
    ],
    targets: [
        // Embeds the files a target lists in its EmbeddedFiles.txt as Swift string constants at build time (the demo
        // plant, the simulator's scenarios, the dashboard's HTML/CSS/JS): the installed binary carries them, with no
        // resource bundle beside it.
        .executableTarget(name: "EmbedFilesTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesTool"]),
        // libmodbus from the system (Debian: libmodbus-dev). Module map and shim only [STYLE: C interop].
        .systemLibrary(
            name: "CModbus",
            pkgConfig: "libmodbus",
            providers: [.apt(["libmodbus-dev"])]
        ),
        // The register vocabulary, pure Swift without I/O or C: tables, data types, word orders, codecs, scaling, read
        // plans, where a device is reached and its time limits, and the quality of a value. Everything above the
        // wire speaks it; only `Modbus` links libmodbus.
        .target(name: "RegisterVocabulary"),
        // Safe Swift over libmodbus: client, server, context, exchange checks, errors, reconnect policy.
        .target(name: "Modbus", dependencies: ["RegisterVocabulary", "CModbus"]),
        // Pure Swift process model: units, brine, stages, flowsheet, column dynamics. No I/O.
        .target(
            name: "ProcessModel",
            dependencies: [.product(name: "Numerics", package: "swift-numerics")]
        ),
        // Charts (line, scatter with a Pareto front, heat map) as SVG, and Markdown/HTML reports. Pure Swift, no
        // dependencies; every chart carries its data in data-* attributes.
        .target(name: "Reporting"),
        // The plant description: types, YAML loading, validation, in the register vocabulary (no libmodbus).
        .target(
            name: "PlantConfig",
            dependencies: ["RegisterVocabulary", "ProcessModel", .product(name: "Yams", package: "Yams")],
            exclude: ["EmbeddedFiles.txt"],
            plugins: ["EmbedFiles"]
        ),
        // R&D studies of the process model: parameter sweeps (grid, Latin hypercube, shards and their merge),
        // their reports, and side-by-side comparisons of plants.
        .target(name: "ProcessStudies", dependencies: ["ProcessModel", "PlantConfig", "Reporting"]),
        // The historian protocol, and samples, events, KPIs and runs in SQLite (GRDB, WAL, batched writes); the spool
        // a server's backend keeps while the server is away.
        .target(
            name: "Historian",
            dependencies: [
                "RegisterVocabulary", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The historian in PostgreSQL for a fleet of plants (postgres-nio): partitions by plant and day, spool,
        // migrations, and the fleet's reads.
        .target(
            name: "HistorianPostgres",
            dependencies: [
                "Historian", "RegisterVocabulary", "Timekeeping", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The plant simulator: the dynamic plant in simulated time, sensor models, scenarios, Modbus serving, and what
        // a run records (into a RunSink: no database here).
        .target(
            name: "Simulator",
            dependencies: ["Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel", .product(name: "Yams", package: "Yams")],
            path: "Simulator",
            exclude: ["Scenarios", "EmbeddedFiles.txt"],
            plugins: ["EmbedFiles"]
        ),
        // Time as the project uses it: the wall-clock Timestamp (ms UTC), Duration conversions, and a manual clock for
        // tests. Pure Swift, no dependencies.
        .target(name: "Timekeeping"),
        // A simulation recorded into the historian (SQLite file or PostgreSQL): the RunSink of `geolith simulate --record`.
        .target(name: "SimulatorRecording", dependencies: ["Simulator", "Historian", "PlantConfig"]),
        // The monitoring daemon: polling, tag pipeline, quality, alarms, soft sensors, as Services.
        .target(
            name: "Monitor",
            dependencies: [
                "Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel", "Historian", "Reporting", "Timekeeping",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // HTTP API, live stream, /metrics and the dashboard, served by the monitoring daemon.
        .target(
            name: "MonitorServer",
            dependencies: [
                "Monitor", "Historian", "PlantConfig", "RegisterVocabulary", "Timekeeping",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Dashboard", "EmbeddedFiles.txt"],
            plugins: ["EmbedFiles"]
        ),
        // The monitoring daemon assembled as operators run it: the historian opened, the services, the HTTP listener,
        // SIGTERM/SIGINT (graceful shutdown) and SIGHUP (reload) through ServiceLifecycle.
        .target(
            name: "MonitorDaemon",
            dependencies: [
                "Monitor", "MonitorServer", "Historian", "HistorianPostgres", "PlantConfig",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What both executables share: exit statuses, file errors, option types, plant and experiment loading, the
        // progress line, the log format, the process's memory, and `main` (errors to messages and exit codes).
        .target(
            name: "CommandSupport",
            dependencies: [
                "Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel", "ProcessStudies", "Historian",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The one executable of the plant's people.
        .executableTarget(
            name: "geolith",
            dependencies: [
                "Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel", "Simulator", "SimulatorRecording", "Historian",
                "HistorianPostgres", "Monitor", "MonitorServer", "MonitorDaemon", "CommandSupport", "Reporting", "ProcessStudies",
                "Timekeeping", .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmarks (Benchmarks/README.md; `make bench-*`, `make soak-*`), a program of their own.
        .executableTarget(
            name: "geolith-bench",
            dependencies: [
                "Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel", "Simulator", "SimulatorRecording", "Historian",
                "HistorianPostgres", "Monitor", "MonitorServer", "MonitorDaemon", "CommandSupport", "ProcessStudies",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz harnesses of the parsers that read what devices and files send (register codecs, Modbus answers,
        // plant descriptions), run as seeded property loops by the tests and `make fuzz`, and under libFuzzer.
        .target(name: "GeolithFuzzing", dependencies: ["Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel"]),
        .executableTarget(name: "geolith-fuzz", dependencies: ["GeolithFuzzing", "ProcessModel"]),
        // Test targets without libmodbus: RegisterVocabulary, Reporting, ProcessModel, PlantConfig, ProcessStudies and
        // Historian tests (`make layers` checks that none of them reaches CModbus).
        .testTarget(name: "RegisterVocabularyTests", dependencies: ["RegisterVocabulary"]),
        .testTarget(name: "ModbusTests", dependencies: ["Modbus", "RegisterVocabulary"]),
        .testTarget(name: "GeolithFuzzingTests", dependencies: ["GeolithFuzzing"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(
            name: "ProcessStudiesTests", dependencies: ["ProcessStudies", "ProcessModel", "PlantConfig", "Reporting"]),
        .testTarget(
            name: "ProcessModelTests",
            dependencies: ["ProcessModel", .product(name: "Numerics", package: "swift-numerics")]
        ),
        .testTarget(
            name: "PlantConfigTests",
            dependencies: ["PlantConfig", "RegisterVocabulary", "ProcessModel", .product(name: "Numerics", package: "swift-numerics")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GeolithCLITests",
            dependencies: ["geolith", "geolith-bench", "Historian", "HistorianPostgres", "PostgresTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "MonitorServerTests",
            dependencies: [
                "MonitorServer", "Monitor", "Simulator", "PlantConfig", "Historian", "RegisterVocabulary",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "MonitorTests",
            dependencies: [
                "Monitor", "Simulator", "SimulatorRecording", "Historian", "HistorianPostgres", "PlantConfig", "Modbus", "RegisterVocabulary",
                "Timekeeping",
            ]
        ),
        // A private PostgreSQL cluster for the tests (Tests/Peers/postgres-cluster.sh).
        .target(name: "PostgresTestSupport", dependencies: ["Historian"], path: "Tests/PostgresTestSupport"),
        .testTarget(
            name: "HistorianTests",
            dependencies: ["Historian", "HistorianPostgres", "PostgresTestSupport", "PlantConfig", "RegisterVocabulary",
                .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "SimulatorRecording", "Historian", "Modbus", "RegisterVocabulary", "PlantConfig", "ProcessModel"]
        ),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}

/// The numeric core is compiled with optimisation in debug builds too: the column solver, the flowsheet and the
/// fits run 20–30 times slower unoptimised (a `calibrate` of docs/rnd.md: 400 s in a debug build, 15.5 s in a
/// release one), and the test suite runs them thousands of times. `GEOLITH_DEBUG_NUMERICS=1` builds them `-Onone`
/// again, for stepping through them in a debugger.
let optimisedInDebug: Set<String> = ["ProcessModel", "ProcessStudies", "Simulator"]
if Context.environment["GEOLITH_DEBUG_NUMERICS"] != "1" {
    for target in package.targets where optimisedInDebug.contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
    }
}

/// The targets that must build, link and test without libmodbus (issue 18): the register vocabulary, the process
/// model and everything that describes, records or studies a plant, with their tests.
let withoutModbus: Set<String> = [
    "RegisterVocabulary", "ProcessModel", "Reporting", "PlantConfig", "ProcessStudies", "Historian", "HistorianPostgres",
    "PostgresTestSupport", "RegisterVocabularyTests", "ReportingTests", "ProcessModelTests", "PlantConfigTests",
    "ProcessStudiesTests", "HistorianTests", "EmbedFiles", "EmbedFilesTool", "Timekeeping",
]

// `make layers` evaluates this manifest with GEOLITH_LAYERS=without-modbus: only the targets above remain, with no
// CModbus and no Modbus target, so a dependency of theirs on either stops the build ("product 'Modbus' required by
// … target 'PlantConfig' not found"), and the test binary built from them (own scratch path) can be checked with ldd.
if Context.environment["GEOLITH_LAYERS"] == "without-modbus" {
    package.targets.removeAll { !withoutModbus.contains($0.name) }
    package.products.removeAll { product in
        !((product as? Product.Library)?.targets.allSatisfy(withoutModbus.contains) ?? false)
    }
    // And only the packages those targets use (no "dependency is not used" warnings).
    let used = Set(package.targets.flatMap(\.dependencies).compactMap { dependency -> String? in
        if case .productItem(_, let package?, _, _) = dependency { package.lowercased() } else { nil }
    })
    package.dependencies.removeAll { dependency in
        guard case .sourceControl(_, let location, _) = dependency.kind else { return false }
        let name = location.split(separator: "/").last.map { String($0).lowercased() } ?? ""
        return !used.contains(name)
    }
}
