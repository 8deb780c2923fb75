import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres
import Logging
import MonitorServer
import ServiceLifecycle
import Synchronization

/// `geolith-bench fleet --db postgres://…`: N plants × T tags at 1 s into one PostgreSQL server, as N monitors' historians
/// write them (a flush a second per plant, rollups once a minute), while the fleet overview answers a day of one tag's
/// history downsampled to 1,000 points under wrk.
struct BenchFleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "N plants × T tags at 1 s into one PostgreSQL server while the fleet view answers a day of history (target p99 < 50 ms).",
        discussion: """
            Writes plants named bench-fleet-RUN-pI into the database (use a scratch database: `make bench-postgres` starts a
            private cluster). One plant's first tag is prefilled with a day at 1 s and rolled up; then every plant writes
            all its tags once a second (one historian each, on a thread of its own, rollups once a minute) for --warmup
            seconds, and then for --runs wrk runs of --seconds each against /api/v1/plants/…/tags/T0/history (a day →
            1,000 points) on the fleet's HTTP server in this process. Prints ingest (flush times, whether any plant fell
            behind) and wrk's figures (median of the runs).
            """)

    @Option(help: "The database (postgres://user@host:port/db).")
    var db: String

    @Option(help: "File whose first line is the password (else PGPASSWORD).")
    var passwordFile: String?

    @Option(help: "Plants.")
    var plants: Int = 10

    @Option(help: "Tags per plant.")
    var tags: Int = 10_000

    @Option(help: "Seconds of ingest before measuring.")
    var warmup: Int = 20

    @Option(help: "Seconds per wrk run.")
    var seconds: Int = 20

    @Option(help: "wrk runs (the median is reported).")
    var runs: Int = 3

    @Option(help: "wrk connections.")
    var connections: Int = 1

    @Option(help: "The wrk executable.")
    var wrk: String = "/usr/bin/wrk"

    func validate() throws {
        guard (1...50).contains(plants), (1...50_000).contains(tags), (0...600).contains(warmup), (1...600).contains(seconds),
              (1...20).contains(runs), (1...64).contains(connections) else {
            throw ValidationError("plants 1…50, tags 1…50000, warmup 0…600, seconds 1…600, runs 1…20, connections 1…64")
        }
        guard case .postgres = try HistorianLocation(parsing: db) else { throw ValidationError("--db must be a postgres:// URL") }
        guard FileManager.default.isExecutableFile(atPath: wrk) else { throw ValidationError("no wrk at \(wrk) (apt-get install wrk)") }
    }

    func run() async throws {
        BenchPrograms.logErrorsOnly()
        guard case .postgres(let location) = try HistorianLocation(parsing: db) else { return }
        let password = try PostgresLocation.password(file: passwordFile)
        let run = UUID().uuidString.prefix(6).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-fleet-\(run)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var historians: [PostgresHistorian] = []
        for p in 0..<plants {
            var options = PostgresHistorian.Options()
            options.password = password
            options.spoolPath = "\(directory)/p\(p).spool.sqlite"
            historians.append(try PostgresHistorian(location: location, plant: "bench-fleet-\(run)-p\(p)", options: options))
        }
        defer { for historian in historians { try? historian.close() } }
        let to = Int64(Date().timeIntervalSince1970) * 1000, from = to - 86_400_000
        try BenchHTTP.prefill(historians[0], series: "T0", from: from, to: to)
        print("\(plants) plants × \(tags) tags at 1 s into \(location); plant 0's T0 prefilled with a day at 1 s, rolled up")

        // Independent daemons flush at their own phase of the second: spread over it, not all at once.
        let writers = historians.enumerated().map { FleetWriter(historian: $1, tags: tags, phase: Int64($0 * 1000 / plants)) }
        for writer in writers { writer.start() }
        defer { for writer in writers { writer.stop() } }

        let fleet = try PostgresFleet(location: location, password: password)
        defer { fleet.close() }
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildFleetApplication(fleet: fleet, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0)) {
            continuation.yield($0)
            continuation.finish()
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        defer { task.cancel() }
        var port = 0
        for await value in bound { port = value }
        let url = "http://127.0.0.1:\(port)/api/v1/plants/bench-fleet-\(run)-p0/tags/T0/history?from=\(from)&to=\(to)&maxPoints=1000"
        print("fleet view on http://127.0.0.1:\(port)/; the history endpoint returns \(try await BenchHTTP.pointCount(url)) points")
        try await Task.sleep(for: .seconds(warmup))
        let script = try BenchHTTP.writeScript()
        defer { try? FileManager.default.removeItem(atPath: script) }
        for writer in writers { writer.resetFigures() }
        let measured = ContinuousClock.now
        var results: [WrkResult] = []
        for _ in 0..<runs {
            results.append(try BenchHTTP.runWrk(wrk, url: url, threads: 1, connections: connections, seconds: seconds, script: script))
        }
        let figures = writers.map { $0.figures }
        let flushes = figures.flatMap(\.flushSeconds).sorted()
        let rollups = figures.flatMap(\.rollupSeconds).sorted()
        let written = figures.reduce(0) { $0 + $1.samples }
        let elapsed = (ContinuousClock.now - measured) / .seconds(1)
        print(String(format: "ingest while measured (%.0f s): %.0f samples/s committed (%d plants × %d tags at 1 s = %d/s offered); "
                     + "flush p50 %.0f ms, p99 %.0f ms, max %.0f ms; seconds a writer fell behind the clock %d, largest lag %.1f s; "
                     + "rollups of a plant's minute %d, p50 %.0f ms, max %.0f ms; plants behind at the end %d, samples spooled %d",
                     elapsed, Double(written) / elapsed, plants, tags, plants * tags, Self.quantile(flushes, 0.5) * 1000,
                     Self.quantile(flushes, 0.99) * 1000, (flushes.last ?? 0) * 1000, figures.reduce(0) { $0 + $1.skipped },
                     Double(figures.map(\.largestLag).max() ?? 0) / 1000, rollups.count, Self.quantile(rollups, 0.5) * 1000,
                     (rollups.last ?? 0) * 1000, historians.filter(\.status.behind).count,
                     historians.reduce(0) { $0 + $1.status.spooledSamples }))
        print(WrkResult.median(results).line(name: "fleet history, 1 day → 1,000", connections: connections)
              + "  (target p99 < 50 ms)")
        print("load average: \(BenchHTTP.loadAverage())")
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
    }
}

/// One plant's writer: every second all its tags, flushed; the rollups of the last minutes once a minute; on a
/// thread of its own, as a monitor's flusher is.
final class FleetWriter: Sendable {
    struct Figures: Sendable {
        var flushSeconds: [Double] = []
        var rollupSeconds: [Double] = []
        var samples = 0
        /// Seconds whose batch started more than a second late, and the largest lateness, ms.
        var skipped = 0
        var largestLag: Int64 = 0
    }

    let historian: PostgresHistorian
    let names: [String]
    /// Where in each second this writer flushes, ms.
    let phase: Int64
    private let stopping = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let state = Mutex<Figures>(Figures())

    init(historian: PostgresHistorian, tags: Int, phase: Int64) {
        self.historian = historian
        self.phase = phase
        names = (0..<tags).map { "T\($0)" }
    }

    var figures: Figures { state.withLock { $0 } }
    func resetFigures() { state.withLock { $0 = Figures() } }

    func start() {
        let thread = Thread { [self] in
            var next = (Int64(Date().timeIntervalSince1970 * 1000) / 1000 + 1) * 1000 + phase
            var lastRollup = next
            var value = 0.0
            while !stopping.load(ordering: .relaxed) {
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                if now < next { usleep(UInt32(min(200_000, (next - now) * 1000))); continue }
                state.withLock { figures in
                    if now - next >= 1000 { figures.skipped += 1 }
                    figures.largestLag = max(figures.largestLag, now - next)
                }
                let time = next
                next += 1000
                value += 1
                historian.append(names.enumerated().map { Sample(series: $1, time: time, value: value + Double($0)) })
                let start = ContinuousClock.now
                let written = (try? historian.flush()) ?? 0
                let flush = (ContinuousClock.now - start) / .seconds(1)
                state.withLock { $0.flushSeconds.append(flush); $0.samples += written }
                if time - lastRollup >= 60_000 {
                    let begin = ContinuousClock.now
                    try? historian.updateRollups(from: lastRollup - 60_000, to: time)
                    state.withLock { $0.rollupSeconds.append((ContinuousClock.now - begin) / .seconds(1)) }
                    lastRollup = time
                }
            }
            done.signal()
        }
        thread.start()
    }

    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        done.wait()
    }
}
