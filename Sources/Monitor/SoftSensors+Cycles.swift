import PlantConfig
import RegisterVocabulary

extension SoftSensors {
    struct CycleAccount: Sendable {
        /// −1 until a first phase is seen: an elution already under way at start-up is not a whole cycle.
        var phase = -1
        var elutionStart: Int64?
        var eluateVolume = 0.0  // m³
        var liEluted = 0.0  // kg
    }

    /// KPIs of one DLE cycle of one column, measured from the eluate while the column eluted.
    public struct CycleKPIs: Sendable, Hashable {
        public var column: Int
        public var end: Int64
        public var cycleHours: Double?
        public var eluateVolume: Double
        public var eluateMeanLi: Double
        public var liEluted: Double
    }

    /// Per-cycle KPIs: a column's elution ends when its phase leaves 3 (elute); the eluate meter is that column's
    /// while it elutes (one column elutes at a time in these trains).
    mutating func cycleKPIs(_ signals: [String: Input], hours: Double, at time: Int64, into kpis: inout [KPIValue]) {
        if hours > 0, let eluateFlow = signals["eluate.flow"], let eluateLi = signals["eluate.li"],
            eluateFlow.value.isFinite, eluateLi.value.isFinite, eluateFlow.quality.status != .bad,
            eluateLi.quality.status != .bad
        {
            for column in 1...64 {
                guard let phase = signals[Self.phaseSignals[column - 1]] else { break }
                guard phase.value.isFinite, phase.quality.status != .bad, abs(phase.value) < 100 else { continue }
                var account = cycles[column] ?? CycleAccount()
                let now = Int(phase.value.rounded())
                if now == 3 {
                    if account.phase != 3 {
                        account.elutionStart = account.phase >= 0 ? time : nil
                        account.eluateVolume = 0
                        account.liEluted = 0
                    }
                    account.eluateVolume += eluateFlow.value * hours
                    account.liEluted += eluateFlow.value * eluateLi.value * hours / 1000
                } else if account.phase == 3, account.elutionStart != nil {
                    let previousEnd = completedCycles.last { $0.column == column }?.end
                    completedCycles.append(
                        CycleKPIs(
                            column: column, end: time,
                            cycleHours: previousEnd.map { Double(time - $0) / 3_600_000 },
                            eluateVolume: account.eluateVolume,
                            eluateMeanLi: account.eluateVolume > 0 ? account.liEluted * 1000 / account.eluateVolume : 0,
                            liEluted: account.liEluted))
                    if completedCycles.count > 100 { completedCycles.removeFirst() }
                    account.elutionStart = nil
                }
                account.phase = now
                cycles[column] = account
            }
        }
        if let cycle = completedCycles.last {
            kpis.append(
                KPIValue(
                    name: "cycle_li_eluted", label: "Li eluted, last cycle (column \(cycle.column))",
                    value: cycle.liEluted,
                    unit: "kg", quality: .good, time: cycle.end))
            kpis.append(
                KPIValue(
                    name: "cycle_eluate_volume", label: "Eluate volume, last cycle", value: cycle.eluateVolume,
                    unit: "m³", quality: .good, time: cycle.end))
            kpis.append(
                KPIValue(
                    name: "cycle_eluate_li", label: "Mean eluate Li, last cycle", value: cycle.eluateMeanLi,
                    unit: "mg/L", quality: .good, time: cycle.end))
        }
    }
}
