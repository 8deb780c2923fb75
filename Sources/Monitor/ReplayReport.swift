import Foundation
public import Historian
public import PlantConfig
import ProcessModel
import RegisterVocabulary
import Reporting

/// The report of a replay: the run and its scenario, KPIs against the simulator's truth, the alarm timeline
/// with ISA-18.2 / EEMUA 191 alarm-rate figures, balance closure and suspect instruments, data quality per
/// device. Built from the replay's own historian (what a live monitor would have stored) and its summary.
public struct ReplayReport {
    /// The alarms of the same run replayed with the run's own limits, when --alarms changed them.
    public struct Baseline {
        public var overrides: AlarmOverrides
        public var alarmEvents: [JournalEvent]

        public init(overrides: AlarmOverrides, alarmEvents: [JournalEvent]) {
            (self.overrides, self.alarmEvents) = (overrides, alarmEvents)
        }
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

    public init(recorded: RecordedRun, plant: Plant, state: MonitorState, historian: any HistoryStore, summary: ReplaySummary,
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
    public static func alarmEvents(_ historian: any HistoryStore, _ run: RecordedRun) throws -> [JournalEvent] {
        try historian.events(from: run.start, to: run.end + 1, kind: .alarm, limit: 10_000_000).sorted {
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

    public func consoleSummary(database: String) -> String {
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
