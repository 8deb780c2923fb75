import CommandSupport
import Foundation
import Historian
import Monitor

/// The soak part of `geolith-bench monitor`: resident memory and what holds it, sampled through a long run.
///
/// The figure judged is VmRSS (the kernel's resident set) at minute 1 against the end: growth < 5 % over an
/// hour. Minute 1 is the reference because by then every fixed-size structure has filled (the live feed's
/// 20,000-update ring fills in 2 s at 10,000 tags; the device rings of 512 in 9 minutes at 8 requests per
/// scan, which is why the growth is also given against minute 10). Each row splits the resident set so that
/// a rise can be placed: anonymous memory; glibc's heap, in use and free-but-held (fragmentation, arenas);
/// SQLite's own allocations; and the element counts of the monitor's retained collections, which must stay
/// flat once filled. The slope over the second half of the run tells a leak (a steady slope) from a
/// plateau.
struct SoakRecorder {
    struct Row {
        var second: Int
        var resident: ProcessMemory.Resident
        var heap: ProcessMemory.Heap?
        var sqlite: Double
        var footprint: MonitorState.Footprint
        /// The largest historian backlog seen since the previous row (samples and events not yet written).
        var maxPending: Int
        var databaseMB: Double
        /// The process's CPU time (user + system) and the monotonic clock when the row was taken.
        var cpu: Double
        var wall: ContinuousClock.Instant
    }

    let databasePath: String
    private(set) var rows: [Row] = []
    private var maxPending = 0
    /// The row printed last, for the CPU column (the share of a core since then).
    private var printed: Row?

    /// - Parameter start: the process's CPU time and the clock when the measurement began (the first row's CPU
    ///   share is taken from there).
    init(databasePath: String, start: (cpu: Double, wall: ContinuousClock.Instant)) {
        self.databasePath = databasePath
        self.start = start
    }

    private let start: (cpu: Double, wall: ContinuousClock.Instant)

    static let header = "    s   RSS MB  anon MB  threads  heap use  heap free  arenas  SQLite MB  tags  alarm hist"
        + "  dev samples   feed  max pending  db MB  CPU %"

    /// Notes the historian's backlog (called every second: a flush that stalls shows as a backlog).
    mutating func note(pending: Int) { maxPending = max(maxPending, pending) }

    /// Takes a row; prints it when `print` is set.
    mutating func sample(at second: Int, state: MonitorState, print: Bool) {
        let size = (try? FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? 0
        let row = Row(second: second, resident: ProcessMemory.resident(), heap: ProcessMemory.heap(),
                      sqlite: Double(SQLiteHistorian.sqliteMemoryUsed) / 1_048_576, footprint: state.footprint,
                      maxPending: max(maxPending, state.historian?.pending ?? 0), databaseMB: Double(size) / 1_048_576,
                      cpu: BenchMonitor.cpuSeconds(), wall: .now)
        rows.append(row)
        maxPending = 0
        if print {
            let since = printed.map { (cpu: $0.cpu, wall: $0.wall) } ?? start
            Swift.print(Self.format(row) + String(format: "  %5.1f", Self.cpuShare(from: since, to: (row.cpu, row.wall))))
            fflush(nil)    // a soak's output usually goes to a file that is read while it runs
            printed = row
        }
    }

    static func format(_ row: Row) -> String {
        let f = row.footprint
        return String(format: "%5d  %7.1f  %7.1f  %7d  %8.1f  %9.1f  %6d  %9.1f  %4d  %10d  %11d  %5d  %11d  %5.0f",
                      row.second, row.resident.total, row.resident.anonymous, row.resident.threads,
                      row.heap?.inUse ?? .nan, row.heap?.free ?? .nan, row.heap?.arenas ?? 0, row.sqlite, f.tagValues,
                      f.alarmHistory, f.deviceSamples, f.liveFeed, row.maxPending, row.databaseMB)
    }

    /// CPU time over wall time between two rows, % of one core.
    static func cpuShare(from a: Row, to b: Row) -> Double {
        cpuShare(from: (a.cpu, a.wall), to: (b.cpu, b.wall))
    }

    static func cpuShare(from a: (cpu: Double, wall: ContinuousClock.Instant),
                         to b: (cpu: Double, wall: ContinuousClock.Instant)) -> Double {
        let wall = (b.wall - a.wall) / .seconds(1)
        return wall > 0 ? 100 * (b.cpu - a.cpu) / wall : .nan
    }

    /// The closing lines: growth from minute 1 and from minute 10 to the end, and the slope of the second half.
    func summary() -> [String] {
        guard let last = rows.last, let minute1 = rows.first(where: { $0.second >= 60 }),
              last.second > minute1.second else { return [] }
        func growth(_ from: Row) -> Double { 100 * (last.resident.total - from.resident.total) / from.resident.total }
        var lines = [String(format: "soak: RSS %.1f MB after 1 min, %.1f MB after %d min: growth %.1f %% (target < 5 %%)",
                            minute1.resident.total, last.resident.total, last.second / 60, growth(minute1))]
        if let minute10 = rows.first(where: { $0.second >= 600 }), last.second > minute10.second {
            lines.append(String(format: "soak: from minute 10 (device rings full) to the end: %.1f MB → %.1f MB, %+.1f %%",
                                minute10.resident.total, last.resident.total, growth(minute10)))
        }
        let half = rows.filter { $0.second >= last.second / 2 }
        if half.count >= 3 {
            let rss = slope(half) { $0.resident.total }
            let inUse = slope(half) { $0.heap?.inUse ?? 0 }, free = slope(half) { $0.heap?.free ?? 0 }
            lines.append(String(format: "soak: RSS slope over the second half: %+.2f MB/h; heap in use %+.2f MB/h, "
                                + "free %+.2f MB/h", rss, inUse, free))
            // The historian's file grows through the run, and what a flush costs with it: the share of a core
            // once the file has grown is the steady state the first minutes do not show.
            lines.append(String(format: "soak: CPU over the second half %.1f %% of one core, over the last tenth %.1f %%",
                                Self.cpuShare(from: half[0], to: last),
                                Self.cpuShare(from: rows.last { $0.second <= last.second * 9 / 10 } ?? half[0], to: last)))
        }
        return lines
    }

    /// Least-squares slope of a figure against time, per hour.
    private func slope(_ rows: [Row], _ value: (Row) -> Double) -> Double {
        let n = Double(rows.count)
        let xs = rows.map { Double($0.second) / 3600 }, ys = rows.map(value)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        return sxx > 0 ? sxy / sxx : 0
    }
}
