import Foundation
import Historian
import Monitor
import PlantConfig
import ProcessModel
import RegisterVocabulary
import Reporting

/// The report of a replay: the run and its scenario, KPIs against the simulator's truth, the alarm timeline
/// with ISA-18.2 / EEMUA 191 alarm-rate figures, balance closure and suspect instruments, data quality per
/// device. Built from the replay's own historian (what a live monitor would have stored) and its summary.
struct ReplayReport {
    /// The alarms of the same run replayed with the run's own limits, when --alarms changed them.
    struct Baseline {
        var overrides: AlarmOverrides
        var alarmEvents: [JournalEvent]
    }

    let recorded: RecordedRun
    let plant: Plant
    let summary: ReplaySummary
    let alarmEvents: [JournalEvent]
    let kpis: [KPIValue]
    let reconciliation: BalanceReconciliation.Result?
    let baseline: Baseline?
    let settings: [String]
    let alarmsFile: String?
    let rates: AlarmRates

    init(recorded: RecordedRun, plant: Plant, state: MonitorState, historian: any HistoryStore, summary: ReplaySummary,
         baseline: Baseline?, settings: [String], alarmsFile: String?) throws {
        self.recorded = recorded
        self.plant = plant
        self.summary = summary
        self.baseline = baseline
        self.settings = settings
        self.alarmsFile = alarmsFile
        alarmEvents = try Self.alarmEvents(historian, recorded)
        kpis = state.kpis
        reconciliation = state.reconciliation
        rates = AlarmRates(events: alarmEvents, start: recorded.start, end: recorded.end)
    }

    /// The alarm transitions a historian holds for the run's span, oldest first.
    static func alarmEvents(_ historian: any HistoryStore, _ run: RecordedRun) throws -> [JournalEvent] {
        try historian.events(from: run.start, to: run.end + 1, kind: "alarm", limit: 10_000_000).sorted {
            ($0.time, $0.id ?? 0) < ($1.time, $1.id ?? 0)
        }
    }

    var hours: Double { Double(recorded.end - recorded.start) / 3_600_000 }

    /// Hours since the start of the run, for plots.
    func offset(_ time: Int64) -> Double { Double(time - recorded.start) / 3_600_000 }

    /// `+12:34:56` from the start of the run.
    func clock(_ time: Int64) -> String {
        let s = max(0, (time - recorded.start) / 1000)
        return String(format: "+%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    func consoleSummary(database: String) -> String {
        var lines = ["replayed \(recorded.path) (\(recorded.origin.rawValue), plant \(plant.id)): "
                     + String(format: "%.2f h in %.2f s wall = %.0f× real time", hours, summary.wallSeconds,
                              hours * 3600 / max(summary.wallSeconds, 1e-9))]
        lines.append("\(summary.values) tag values, \(summary.scans) scans, \(rates.raised) alarms raised "
                     + String(format: "(%.2f per 10 min, peak %d), %d flood windows", rates.perTenMinutes, rates.peak, rates.floods))
        for kpi in kpis where Self.headlineKPIs.contains(kpi.name) {
            let truth = summary.truthKPIs[kpi.name]?.last.map { String(format: " (truth %.4g)", $0.value) } ?? ""
            lines.append(kpi.idle ? "  \(kpi.label): idle"
                : String(format: "  %@: %.4g %@%@ [%@]", kpi.label, kpi.value, kpi.unit, truth, kpi.quality.description))
        }
        lines.append("historian: \(database)")
        return lines.joined(separator: "\n")
    }

    static let headlineKPIs = ["li_recovery", "li_production", "lce_per_day", "product_rate", "freshwater_per_tonne",
                               "refining_utilisation", "sorbent_health", "li_balance_closure", "water_balance_closure"]
}

/// Alarm-rate figures over a run in the terms of ANSI/ISA-18.2-2016 (§16.5, Table 5) and EEMUA 191: raised
/// alarms per fixed 10-minute window, the peak, flood windows (more than 10 alarms in 10 minutes), chattering
/// alarms (3 or more raises within a minute) and the share of the 10 most frequent alarms.
struct AlarmRates {
    var raised = 0
    var windows: [(start: Int64, count: Int)] = []
    var perTenMinutes = 0.0
    var perDay = 0.0
    var peak = 0
    var floods = 0
    var chattering: [String] = []
    var counts: [(id: String, count: Int)] = []
    var topTenShare = 0.0

    init(events: [JournalEvent], start: Int64, end: Int64) {
        let raises = events.filter { $0.message.hasPrefix("raised") }
        raised = raises.count
        let window: Int64 = 600_000
        let n = max(1, Int((end - start) / window) + 1)
        var buckets = [Int](repeating: 0, count: n)
        for event in raises { buckets[min(n - 1, max(0, Int((event.time - start) / window)))] += 1 }
        windows = buckets.enumerated().map { (start + Int64($0.offset) * window, $0.element) }
        let spanMinutes = max(Double(end - start) / 60_000, 1)
        perTenMinutes = Double(raised) / spanMinutes * 10
        perDay = Double(raised) / spanMinutes * 1440
        peak = buckets.max() ?? 0
        floods = buckets.filter { $0 > 10 }.count
        let byID = Dictionary(grouping: raises, by: \.source)
        counts = byID.map { ($0.key, $0.value.count) }.sorted { ($0.count, $1.id) > ($1.count, $0.id) }
        chattering = byID.filter { _, list in
            let times = list.map(\.time).sorted()
            return times.indices.contains { $0 + 2 < times.count && times[$0 + 2] - times[$0] <= 60_000 }
        }.keys.sorted()
        topTenShare = raised > 0 ? Double(counts.prefix(10).map(\.count).reduce(0, +)) / Double(raised) : 0
    }
}
