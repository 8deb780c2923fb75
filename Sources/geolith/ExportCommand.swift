import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres

/// `geolith export RUN.sqlite`: samples of a historian or recording as long-form CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export samples of a historian or recording as CSV (time,series,value,quality), which geolith replay reads.",
        discussion: """
            Times are ms since 1970 UTC, values in the series' unit (geolith export --list shows units), an empty
            value is NaN, the quality as the historian writes it (good, uncertain(stale), bad(timeout), …).
            """)

    @Argument(help: "A historian (geolith monitor --db: a file, or postgres://user@host:port/db) or a recording (geolith simulate --record).")
    var file: String

    @Option(help: "PostgreSQL: the plant to export (may be left out when the database holds one plant).")
    var plant: String?

    @Option(help: "PostgreSQL: file whose first line is the password (else the PGPASSWORD environment variable).")
    var passwordFile: String?

    @Option(help: "Series to export, comma-separated (default: every series of --kind).")
    var series: String?

    enum Kind: String, ExpressibleByArgument, CaseIterable { case tag, kpi, truth, all }

    @Option(help: "Kind of series when --series is not given.")
    var kind: Kind = .tag

    @Option(help: "From this time: ms since 1970 or ISO 8601 (default: the start).")
    var from: String?

    @Option(help: "To this time, inclusive: ms since 1970 or ISO 8601 (default: the end).")
    var to: String?

    @Option(help: "Write to this file (default: standard output).")
    var out: String?

    @Flag(help: "List the series (name, kind, unit, device, samples' time span) and exit.")
    var list = false

    func run() throws {
        let historian = try openHistorian()
        defer { try? historian.close() }
        let all = try historian.series()
        if list { return try printList(all, of: historian) }
        let names = try seriesNames(among: all)
        let csv = try historian.longCSV(series: names, from: try Self.time(from, "--from") ?? .min, to: try Self.time(to, "--to") ?? .max)
        if let out {
            try csv.write(toFile: out, atomically: true, encoding: .utf8)
        } else {
            print(csv, terminator: "")
        }
    }

    /// The historian or recording of FILE; a PostgreSQL historian that cannot be opened is a usage error.
    func openHistorian() throws -> any HistoryStore {
        guard case .postgres = try HistorianLocation(parsing: file) else { return try RunFiles.openHistorian(file) }
        do {
            return try Historians.openForReading(try HistorianLocation(parsing: file), plant: plant, passwordFile: passwordFile)
        } catch { throw ValidationError("\(error)") }
    }

    /// `--list`: a line per series with its kind, unit, device and the time span of its samples.
    func printList(_ all: [SeriesInfo], of historian: any HistoryStore) throws {
        for s in all {
            let span = try historian.timeRange(s.name).map { "\($0.lowerBound)…\($0.upperBound)" } ?? "no samples"
            print([s.name, s.kind.rawValue, s.unit, s.device, span].joined(separator: "\t"))
        }
    }

    /// The `--series` asked for (each must exist: else a command error with the nearest names), or every series of
    /// `--kind`.
    func seriesNames(among all: [SeriesInfo]) throws -> [String] {
        guard let series else { return all.filter { kind == .all || $0.kind.rawValue == kind.rawValue }.map(\.name) }
        let names = series.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = Set(all.map(\.name))
        let unknown = names.filter { !known.contains($0) }
        if !unknown.isEmpty {
            let hints = unknown.map { name -> String in
                let near = NameSuggestions.nearest(to: name, among: all.map(\.name))
                return "\"\(name)\"" + (near.isEmpty ? "" : " (did you mean \(near.map { "\"\($0)\"" }.joined(separator: ", "))?)")
            }
            throw RunCommandError(kind: .unknownName, message: "no series \(hints.joined(separator: ", ")) in \(file) "
                + "(geolith export \(file) --list shows them)")
        }
        return names
    }

    static func time(_ text: String?, _ option: String) throws -> Int64? {
        guard let text else { return nil }
        if let ms = Int64(text) { return ms }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        throw ValidationError("\(option) \(text): expected ms since 1970 or an ISO 8601 time such as 2026-01-01T00:00:00Z")
    }
}
