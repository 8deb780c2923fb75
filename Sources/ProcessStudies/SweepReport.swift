public import Reporting

/// The report of a finished sweep: what was swept, the best points by the objective, the sensitivities of
/// every KPI to every varied parameter, and plots (the objective against each parameter, a heat map over the
/// first two, the Pareto front of Li yield against fresh water per tonne), then the failed points.
///
/// Built from a ``SweepTable`` alone, so a merged sweep gives the same report as an unsharded run.
public struct SweepReport: Sendable {
    public var title: String
    /// Lines describing the sweep (plant, overrides, model), shown first.
    public var context: [String]
    public var table: SweepTable
    public var objective: SweepObjective
    /// How many best points to list.
    public var best = 10

    public init(title: String, context: [String], table: SweepTable, objective: SweepObjective) {
        self.title = title
        self.context = context
        self.table = table
        self.objective = objective
    }

    /// Rows with status ok, in point order.
    var okRows: [Int] { table.statuses.indices.filter { table.statuses[$0] == .ok } }

    /// Rows ranked by the objective, best first (ties by point index); rows without a value are left out.
    public func ranking() -> [Int] {
        guard let column = table.column(objective.key) else { return [] }
        return okRows.filter { column[$0].isFinite }.sorted {
            column[$0] != column[$1] ? objective.isBetter(column[$0], than: column[$1]) : $0 < $1
        }
    }

    /// The report.
    public func build() -> Report {
        var report = Report(title: title)
        let plan = table.plan
        var counts: [SweepStatus: Int] = [:]
        for s in table.statuses { counts[s, default: 0] += 1 }
        let statusText = SweepStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s)" } }.joined(separator: ", ")
        report.list(
            context + [
                "design: \(plan.designDescription)",
                "varied: " + plan.dimensions.map { "`\($0.specification)`" }.joined(separator: ", "),
                "points: \(table.count) (\(statusText))",
                "objective: `\(objective.key)` (\(objective.goal == .maximise ? "maximised" : "minimised"))",
            ])
        let ranking = ranking()
        bestPoints(ranking, into: &report)
        sensitivities(best: ranking.first, into: &report)
        figures(best: ranking.first, into: &report)
        failures(into: &report)
        return report
    }

    private func bestPoints(_ ranking: [Int], into report: inout Report) {
        report.heading("Best points by \(objective.key)")
        guard !ranking.isEmpty else {
            report.paragraph("No point has a value of `\(objective.key)`.")
            return
        }
        let shown = ["li_t_per_year", "fresh_water_m3_per_t", "energy_kwh_per_t", "recovery_overall"]
            .filter { $0 != objective.key && table.column($0) != nil }
        let keys = [objective.key] + shown
        let headers =
            ["point"] + table.plan.dimensions.map(\.columnTitle)
            + keys.map { "\($0) [\(table.unit($0) ?? "")]" }
        var rows: [[String]] = []
        for r in ranking.prefix(best) {
            rows.append(["\(table.points[r])"] + inputTexts(r) + keys.map { text(table.column($0)![r]) })
        }
        report.table(headers, rows, alignments: headers.map { _ in .right })
    }

    private func sensitivities(best: Int?, into report: inout Report) {
        let plan = table.plan
        let numeric = plan.dimensions.indices.filter { !plan.dimensions[$0].isChoice }
        report.heading("Sensitivities")
        guard !numeric.isEmpty else {
            report.paragraph("Only choices were varied; the best points above compare them.")
            return
        }
        report.paragraph(
            "Spearman rank correlation of each KPI with each varied parameter over the points that solved "
                + "(+1: always rises with it, −1: always falls, 0: no monotonic relation). KPIs that do not change "
                + "across the sweep (beyond rounding) are left out.")
        let ok = okRows
        var rows: [[String]] = []
        var constant: [String] = []
        for (k, key) in table.valueKeys.enumerated() {
            let y = ok.map { table.values[k][$0] }
            let finite = y.filter(\.isFinite)
            // Rounding noise (a recovery of 100.00000000000003 %, balance closures of 1e-16) is no change.
            guard let low = finite.min(), let high = finite.max(), high - low > 1e-9 * max(abs(low), abs(high), 1e-6)
            else {
                constant.append(key.key)
                continue
            }
            let cells = numeric.map { d -> String in
                let x = ok.map { table.inputs[d][$0] }
                return SweepSensitivity.spearman(x, y).map { NumberText.fixed($0, 2) } ?? "–"
            }
            rows.append(["`\(key.key)` [\(key.unit)]"] + cells)
        }
        let headers = ["KPI"] + numeric.map { "ρ \(plan.dimensions[$0].key)" }
        report.table(headers, rows, alignments: [.left] + numeric.map { _ in .right })
        if !constant.isEmpty {
            report.paragraph("Unchanged: " + constant.map { "`\($0)`" }.joined(separator: ", ") + ".")
        }
        if case .grid = plan.design, let best, let column = table.column(objective.key) {
            let cells = numeric.map { d in
                SweepSensitivity.elasticity(of: column, in: table, along: d, at: table.points[best])
                    .map { NumberText.significant($0, 3) } ?? "–"
            }
            report.paragraph(
                "Normalised finite differences (ΔK/K)/(Δx/x) of `\(objective.key)` at the best point "
                    + "(central between its grid neighbours, one-sided at an edge):")
            report.table(numeric.map { plan.dimensions[$0].key }, [cells], alignments: numeric.map { _ in .right })
        }
    }

    private func failures(into report: inout Report) {
        let failed = table.statuses.filter { $0 != .ok }.count
        guard failed > 0 else { return }
        report.heading("Failed points")
        report.paragraph(
            "\(failed) point(s) did not solve; each is reported in its row of the CSV (status and error columns). "
                + (table.failures.count < failed ? "The first \(min(20, table.failures.count)):" : ""))
        let rows = table.failures.prefix(20).map { ["\($0.point)", "\($0.status)", $0.error] }
        report.table(["point", "status", "error"], Array(rows), alignments: [.right, .left, .left])
    }

    /// A row's inputs as text: numbers, or the words of choices.
    func inputTexts(_ r: Int) -> [String] {
        table.plan.dimensions.enumerated().map { d, dimension in
            let v = table.inputs[d][r]
            return dimension.isChoice ? dimension.words[Int(v)] : text(v)
        }
    }

    func text(_ v: Double) -> String { v.isFinite ? NumberText.compact(v, 5) : "–" }
}
