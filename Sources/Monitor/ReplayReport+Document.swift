import Foundation
import Historian
import PlantConfig
import ProcessModel
import RegisterVocabulary
public import Reporting

extension ReplayReport {
    /// The report as a document: Markdown, HTML and SVG files.
    public func document() -> Report {
        var doc = Report(title: "Replay of \((recorded.path as NSString).lastPathComponent): \(plant.name)")
        runSection(&doc)
        kpiSection(&doc)
        alarmSection(&doc)
        balanceSection(&doc)
        qualitySection(&doc)
        return doc
    }

    private func runSection(_ doc: inout Report) {
        doc.heading("The run")
        let iso = ISO8601DateFormatter()
        func date(_ ms: Int64) -> String { iso.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        var rows = [["file", recorded.path], ["recorded by", recorded.origin.rawValue], ["plant", "\(plant.name) (\(plant.id))"],
                    ["span", "\(date(recorded.start)) to \(date(recorded.end)) (\(String(format: "%.2f", hours)) h)"]]
        if let info = recorded.info {
            if !info.scenario.isEmpty { rows.append(["scenario", info.scenario]) }
            if recorded.origin == .simulation { rows.append(["seed", "\(info.seed)"]) }
            rows.append(["version", info.version])
            if !info.notes.isEmpty { rows.append(["notes", info.notes]) }
        }
        rows.append(["alarm limits", alarmsFile.map { "\($0) (\(baseline?.overrides.tags.joined(separator: ", ") ?? ""))" }
                     ?? "the plant description's"])
        if !settings.isEmpty { rows.append(["process parameters", settings.joined(separator: ", ")]) }
        rows.append(["replayed", String(format: "%d tag values, %d scans, %d ticks in %.2f s (%.0f× real time)", summary.values,
                                        summary.scans, summary.ticks, summary.wallSeconds, hours * 3600 / max(summary.wallSeconds, 1e-9))])
        doc.table(["", ""], rows, alignments: [.left, .left])
        if !summary.missingTags.isEmpty {
            doc.paragraph("Tags of the plant description that the run does not hold (left without a value): "
                          + summary.missingTags.joined(separator: ", ") + ".")
        }
        let scenario = recorded.events.filter { $0.kind == .scenario && !$0.message.hasPrefix("planned") }
        if !scenario.isEmpty {
            doc.heading("Scenario events", level: 3)
            doc.table(["time", "event"], scenario.prefix(500).map { [clock($0.time), $0.message] }, alignments: [.left, .left])
        }
    }

    private func kpiSection(_ doc: inout Report) {
        doc.heading("KPIs")
        let hasTruth = !summary.truthKPIs.isEmpty
        doc.paragraph(hasTruth
            ? "Each KPI as the replayed monitor computed it from the measured tags, against the same soft sensors fed with the "
                + "simulator's true signals, both taken every minute (the historian holds the replayed KPIs at every tick)."
            : "Each KPI as the replayed monitor computed it, taken every minute (the historian holds every tick); the run holds "
                + "no true signals to compare with.")
        var rows: [[String]] = []
        for kpi in kpis {
            let values = (summary.kpis[kpi.name] ?? []).map(\.value)
            let mean = values.isEmpty ? Double.nan : values.reduce(0, +) / Double(values.count)
            var row = [kpi.label, kpi.unit, Self.number(mean), Self.number(kpi.value), kpi.quality.description]
            if hasTruth {
                let truth = summary.truthKPIs[kpi.name] ?? []
                let truthMean = truth.isEmpty ? Double.nan : truth.map(\.value).reduce(0, +) / Double(truth.count)
                row += [Self.number(truthMean), Self.number(truth.last?.value ?? .nan)]
            }
            rows.append(row)
        }
        doc.table(["KPI", "unit", "mean", "final", "quality"] + (hasTruth ? ["truth mean", "truth final"] : []), rows,
                  alignments: [.left, .left, .right, .right, .left] + (hasTruth ? [.right, .right] : []))
        for kpi in kpis where Self.headlineKPIs.contains(kpi.name) {
            let points = summary.kpis[kpi.name] ?? []
            guard !points.isEmpty else { continue }
            var chart = LineChart(title: kpi.label, x: .time("time since start", unit: .hours), y: ChartAxis(kpi.label, unit: kpi.unit))
            chart.add("replay", x: points.map { Double($0.time - recorded.start) / 1000 }, y: points.map(\.value))
            if let truth = summary.truthKPIs[kpi.name], !truth.isEmpty {
                chart.add("truth", x: truth.map { Double($0.time - recorded.start) / 1000 }, y: truth.map(\.value))
            }
            doc.figure(chart.svg(), name: "kpi-\(kpi.name)", caption: "\(kpi.label) [\(kpi.unit)] over the run"
                       + (summary.truthKPIs[kpi.name] != nil ? ", replay against the simulator's truth" : ""))
        }
    }

    private func alarmSection(_ doc: inout Report) {
        doc.heading("Alarms")
        // ANSI/ISA-18.2-2016 Table 5 (also EEMUA 191): ~1 alarm per 10 minutes per operator is very likely
        // acceptable, ~2 the most manageable; a flood is more than 10 alarms in 10 minutes; <1 % of 10-minute
        // periods in flood; the 10 most frequent alarms should be ~1 % to at most 5 % of all alarms.
        doc.table(["figure", "this run", "ISA-18.2 / EEMUA 191 target"], [
            ["alarms raised", "\(rates.raised)", ""],
            ["average per 10 minutes", String(format: "%.2f", rates.perTenMinutes), "≈1 acceptable, ≈2 maximum manageable"],
            ["average per day", String(format: "%.0f", rates.perDay), "≈150 acceptable, ≈300 maximum manageable"],
            ["peak in a 10-minute window", "\(rates.peak)", "≤10"],
            ["10-minute windows in flood (> 10)", "\(rates.floods) of \(rates.windows.count) ("
                + String(format: "%.1f %%", 100 * Double(rates.floods) / Double(max(1, rates.windows.count))) + ")", "< 1 %"],
            ["chattering alarms (≥ 3 in 1 min)", rates.chattering.isEmpty ? "none" : rates.chattering.joined(separator: ", "), "none"],
            ["share of the 10 most frequent", String(format: "%.0f %%", 100 * rates.topTenShare), "≈1 % to 5 % at most"],
        ], alignments: [.left, .right, .left])
        if !rates.windows.isEmpty {
            var chart = LineChart(title: "Alarms raised per 10 minutes", x: .time("time since start", unit: .hours),
                                  y: ChartAxis("alarms per 10 min"))
            chart.includesZero = true
            chart.add("raised", x: rates.windows.map { Double($0.start - recorded.start) / 1000 }, y: rates.windows.map { Double($0.count) })
            chart.add("flood threshold", x: [0, Double(recorded.end - recorded.start) / 1000], y: [10, 10])
            doc.figure(chart.svg(), name: "alarm-rate", caption: "Alarms raised in each 10-minute window; above 10 is a flood")
        }
        if !rates.counts.isEmpty {
            doc.heading("Most frequent alarms", level: 3)
            doc.table(["alarm", "raised"], rates.counts.prefix(20).map { [$0.id, "\($0.count)"] }, alignments: [.left, .right])
        }
        if let baseline {
            let before = AlarmRates(events: baseline.alarmEvents, start: recorded.start, end: recorded.end)
            let old = Dictionary(uniqueKeysWithValues: before.counts.map { ($0.id, $0.count) })
            let new = Dictionary(uniqueKeysWithValues: rates.counts.map { ($0.id, $0.count) })
            let changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
            doc.heading("What the new alarm limits changed", level: 3)
            doc.paragraph("Against the same run replayed with the plant description's own limits: \(before.raised) alarms raised then, "
                          + "\(rates.raised) now; limits changed for \(baseline.overrides.tags.joined(separator: ", ")).")
            doc.table(["alarm", "raised with the run's limits", "raised with the new limits"],
                      changed.map { [$0, "\(old[$0] ?? 0)", "\(new[$0] ?? 0)"] }, alignments: [.left, .right, .right])
        }
        doc.heading("Alarm timeline", level: 3)
        let shown = alarmEvents.prefix(300)
        doc.table(["time", "alarm", "event", "value"], shown.map { event in
            [clock(event.time), event.source, event.message, event.detail.alarm?.value.map(Self.number) ?? ""]
        }, alignments: [.left, .left, .left, .right])
        if alarmEvents.count > shown.count {
            doc.paragraph("… and \(alarmEvents.count - shown.count) more transitions in the replay's historian (events of kind alarm).")
        }
    }

    private func balanceSection(_ doc: inout Report) {
        doc.heading("Balances and instruments")
        let closures = kpis.filter { $0.name == "li_balance_closure" || $0.name == "water_balance_closure" }
        if closures.isEmpty {
            doc.paragraph("The plant description binds too few signals for the Li and brine balances.")
        } else {
            doc.table(["balance", "closure (in − out) / in", "quality"],
                      closures.map { [$0.label, String(format: "%.3f %%", $0.value), $0.quality.description] }, alignments: [.left, .right, .left])
        }
        if let r = reconciliation {
            let verdict = r.grossErrorDetected()
                ? "a gross error is likely (p = \(String(format: "%.3g", r.globalPValue)))"
                : "no gross error (p = \(String(format: "%.3g", r.globalPValue)))"
            doc.paragraph("Weighted least-squares reconciliation of the integrated balances: global χ² = "
                          + String(format: "%.3g", r.globalStatistic) + " with \(r.degreesOfFreedom) degrees of freedom, \(verdict). "
                          + (r.suspect.map { "Suspect instrument: \($0)." }
                             ?? (r.suspects.isEmpty ? "No instrument flagged." : "Flagged, and not distinguishable by these balances: \(r.suspects.joined(separator: ", ")).")))
        }
    }

    private func qualitySection(_ doc: inout Report) {
        doc.heading("Data quality per device")
        var rows: [[String]] = []
        for device in plant.devices {
            let counts = summary.qualityByDevice[device.name] ?? [:]
            let total = max(1, counts.values.reduce(0, +))
            func share(_ status: String) -> String {
                String(format: "%.2f %%", 100 * Double(counts.filter { $0.key.hasPrefix(status) }.values.reduce(0, +)) / Double(total))
            }
            let reasons = counts.filter { !$0.key.hasPrefix("good") }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .prefix(4).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            rows.append([device.name, "\(counts.values.reduce(0, +))", share("good"), share("uncertain"), share("bad"), reasons])
        }
        doc.table(["device", "values", "good", "uncertain", "bad", "main reasons"], rows,
                  alignments: [.left, .right, .right, .right, .right, .left])
        if !summary.commFaults.isEmpty {
            doc.paragraph("Communication faults of the recording, as the poller met them:")
            doc.table(["device", "from", "to", "what"], summary.commFaults.map { [$0.device, clock($0.from), clock($0.to), $0.what] },
                      alignments: [.left, .left, .left, .left])
        }
    }

    static func number(_ value: Double) -> String { value.isFinite ? String(format: "%.4g", value) : "–" }
}
