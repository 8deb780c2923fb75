import Foundation
public import Historian
import PlantConfig
import RegisterVocabulary

/// A recorded run opened for replay: a simulator recording (`geolith simulate --record`), a monitor's
/// historian, or a CSV export (`geolith export`).
///
/// Recordings hold each tag's served value every recorded step (and the true values: `truth:TAG`,
/// `signal:NAME`); historians hold the tags' values as the monitor read them, with their qualities,
/// compressed by swinging door, and the journal (device up/down, alarms). Replay reads both through
/// ``columns(_:from:before:following:)`` in time chunks, so a recorded week never sits in memory at once.
public struct RecordedRun: Sendable {
    /// What wrote the file.
    public enum Origin: String, Sendable, Hashable {
        /// `geolith simulate --record`: served values of every tag each recorded step, the truth, the scenario.
        case simulation
        /// `geolith monitor` (or a replay's own output): tag values with qualities, compressed; the journal.
        case monitor
        /// A CSV export in long form: `time,series,value,quality`.
        case csv
    }

    public let path: String
    public let origin: Origin
    /// The last run stored in the file, when it has one.
    public let info: RunInfo?
    /// The plant description stored with the run (nil when the file has none).
    public let configText: String?
    /// First and last sample time of the recorded tags, ms UTC.
    public let start: Int64
    public let end: Int64
    public let seriesNames: Set<String>
    /// The journal, oldest first: scenario events of recordings; device, alarm and config events of historians.
    public let events: [JournalEvent]
    private let storage: Storage

    private enum Storage: Sendable {
        case historian(any HistoryStore)
        case memory([String: SampleColumns])
    }

    /// Opens a recording, a historian (`.sqlite`, `.db`) or a CSV export (`.csv`).
    ///
    /// - Throws: ``ReplayError`` when the file cannot be read, has no tag samples, or a CSV line is malformed
    ///   (with its line number); ``HistorianFileError`` when it is not a historian.
    public static func open(path: String) throws -> RecordedRun {
        if path.lowercased().hasSuffix(".csv") { return try openCSV(path: path) }
        return try open(try SQLiteHistorian.open(readingAt: path), path: path)
    }

    /// Opens the run a historian holds (a file, or a plant of a PostgreSQL database); `path` names it in messages.
    public static func open(_ historian: any HistoryStore, path: String) throws -> RecordedRun {
        let runs = try historian.runs()
        let info = runs.last
        let series = try historian.series()
        let origin: Origin = info?.kind == .simulation ? .simulation : .monitor
        var start = Int64.max, end = Int64.min
        for s in series where s.kind == .tag && !isDerived(s.name) {
            guard let range = try historian.timeRange(s.name) else { continue }
            start = min(start, range.lowerBound)
            end = max(end, range.upperBound)
        }
        guard start <= end else { throw ReplayError("\(path): the file holds no tag samples to replay") }
        // A recording's first sample is one step after its start; replay from the start, so times since the
        // start read as the scenario's.
        if origin == .simulation, let info, info.started < start, start - info.started <= 60_000 { start = info.started }
        let events = try historian.events(from: .min, to: .max, kind: nil, limit: 10_000_000).reversed()
        return RecordedRun(path: path, origin: origin, info: info, configText: info?.config.isEmpty == false ? info?.config : nil,
                           start: start, end: end, seriesNames: Set(series.map(\.name)), events: Array(events),
                           storage: .historian(historian))
    }

    /// The samples of a series in [from, before), plus up to `following` samples after.
    public func columns(_ series: String, from: Int64, before: Int64, following: Int = 0) throws -> SampleColumns {
        switch storage {
        case .historian(let historian):
            return try historian.columns(series, from: from, before: before, following: following)
        case .memory(let all):
            guard let column = all[series] else { return SampleColumns() }
            let lower = column.times.partitionIndex { $0 >= from }
            let upper = column.times.partitionIndex { $0 >= before }
            let last = min(column.count, upper + following)
            var slice = SampleColumns()
            slice.times = Array(column.times[lower..<last])
            slice.values = Array(column.values[lower..<last])
            slice.qualities = Array(column.qualities[lower..<last])
            return slice
        }
    }

    // MARK: - CSV

    /// Reads a long-form CSV: a header `time,series,value,quality`, then one sample a line; time in ms since
    /// 1970 or ISO 8601 UTC; an empty value is NaN; quality as the historian writes it (`good`,
    /// `bad(timeout)`, …), good when empty.
    static func openCSV(path: String) throws -> RecordedRun {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ReplayError("\(path): cannot be read: \(error.localizedDescription)")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next(), header.lowercased().replacingOccurrences(of: " ", with: "") == "time,series,value,quality" else {
            throw ReplayError("\(path):1: expected the header time,series,value,quality")
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let isoWhole = ISO8601DateFormatter()
        var all: [String: SampleColumns] = [:]
        var number = 1
        while let line = lines.next() {
            number += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 4, !fields[1].isEmpty else {
                throw ReplayError("\(path):\(number): expected 4 fields time,series,value,quality, found \(fields.count)")
            }
            let time: Int64
            if let ms = Int64(fields[0]) {
                time = ms
            } else if let date = iso.date(from: fields[0]) ?? isoWhole.date(from: fields[0]) {
                time = Int64((date.timeIntervalSince1970 * 1000).rounded())
            } else {
                throw ReplayError("\(path):\(number): time \"\(fields[0].prefix(40))\" is neither ms since 1970 nor ISO 8601")
            }
            let value: Double
            if fields[2].isEmpty {
                value = .nan
            } else if let parsed = Double(fields[2]) {
                value = parsed
            } else {
                throw ReplayError("\(path):\(number): value \"\(fields[2].prefix(40))\" is not a number")
            }
            guard let quality = fields[3].isEmpty ? .good : Quality(description: fields[3]) else {
                throw ReplayError("\(path):\(number): quality \"\(fields[3].prefix(40))\" is not one the historian writes")
            }
            all[fields[1], default: SampleColumns()].append(time: time, value: value, quality: quality)
        }
        var start = Int64.max, end = Int64.min
        for (name, column) in all {
            let order = column.times.indices.sorted { column.times[$0] < column.times[$1] }
            var sorted = SampleColumns()
            for i in order { sorted.append(time: column.times[i], value: column.values[i], quality: column.qualities[i]) }
            all[name] = sorted
            if !isDerived(name), let first = sorted.times.first, let last = sorted.times.last {
                start = min(start, first)
                end = max(end, last)
            }
        }
        guard start <= end else { throw ReplayError("\(path): the file holds no tag samples to replay") }
        return RecordedRun(path: path, origin: .csv, info: nil, configText: nil, start: start, end: end,
                           seriesNames: Set(all.keys), events: [], storage: .memory(all))
    }
}

/// Series that a pipeline computed (KPIs) or a simulator knew (truth), not tags read from a device.
func isDerived(_ series: String) -> Bool {
    series.hasPrefix("kpi:") || series.hasPrefix("truth:") || series.hasPrefix("signal:")
}

extension SampleColumns {
    mutating func append(time: Int64, value: Double, quality: Quality) {
        times.append(time)
        values.append(value)
        qualities.append(quality)
    }
}

extension RandomAccessCollection {
    /// The first index whose element satisfies `predicate`, for a collection partitioned by it.
    func partitionIndex(where predicate: (Element) -> Bool) -> Index {
        var low = startIndex, count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if predicate(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}

/// A replay that cannot start or go on, with what to do about it.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
