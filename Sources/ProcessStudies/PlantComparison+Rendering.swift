import Foundation
public import Reporting

extension PlantComparison {
    /// The comparison as a report: the cases and what differs in each, the KPI table, the explanations.
    public func report() -> Report {
        var report = Report(title: "Comparison: " + cases.map(\.name).joined(separator: " vs "))
        report.list(
            cases.enumerated().map { c, item in
                let changed =
                    c == 0
                    ? "the reference"
                    : changes[c].isEmpty
                        ? "no parameter differs"
                        : changes[c].map { "`\($0.key)` \($0.from) → \($0.to) (\($0.stage))" }.joined(separator: ", ")
                return "**\(item.name)** (\(item.source)): \(changed)"
            })
        report.heading("KPIs")
        var headers = ["KPI", "unit", cases[0].name]
        for c in cases.indices.dropFirst() {
            headers += [cases[c].name, "Δ " + cases[c].name, "Δ% " + cases[c].name, "stage " + cases[c].name]
        }
        let table = rows.map { row -> [String] in
            var cells = ["`\(row.key)`", row.unit, text(row.values[0])]
            for c in cases.indices.dropFirst() {
                cells += [
                    text(row.values[c]), text(row.differences[c]), percent(row.relativeDifferences[c]),
                    row.explanations[c]?.stage ?? "",
                ]
            }
            return cells
        }
        report.table(headers, table, alignments: headers.indices.map { $0 == 0 || $0 == 1 ? .left : .right })
        report.heading("What explains the differences")
        for c in cases.indices.dropFirst() {
            var seen = Set<String>()
            var items: [String] = []
            for row in rows {
                guard let e = row.explanations[c], seen.insert(e.detail).inserted else { continue }
                let keys = rows.filter { $0.explanations[c]?.detail == e.detail }.map { "`\($0.key)`" }
                items.append(
                    e.detail
                        + (e.parameters.isEmpty
                            ? "" : "; changed here: " + e.parameters.map { "`\($0)`" }.joined(separator: ", "))
                        + " — explains " + keys.joined(separator: ", "))
            }
            report.heading(cases[c].name + " against " + cases[0].name, level: 3)
            if items.isEmpty { report.paragraph("No KPI differs.") } else { report.list(items) }
        }
        return report
    }

    /// A plain-text table for a terminal.
    public func text() -> String {
        var out = "compare: " + cases.map { "\($0.name) (\($0.source))" }.joined(separator: " vs ") + "\n"
        for c in cases.indices.dropFirst() {
            out +=
                "  \(cases[c].name): "
                + (changes[c].isEmpty
                    ? "no parameter differs"
                    : changes[c].map { "\($0.key) \($0.from) → \($0.to) [\($0.stage)]" }.joined(separator: ", ")) + "\n"
        }
        var table = [
            ["KPI", "unit", cases[0].name]
                + cases.indices.dropFirst().flatMap { c in
                    [cases[c].name, "Δ", "Δ%", "stage"]
                }
        ]
        for row in rows {
            table.append(
                [row.key, row.unit, text(row.values[0])]
                    + cases.indices.dropFirst().flatMap { c in
                        [
                            text(row.values[c]), text(row.differences[c]), percent(row.relativeDifferences[c]),
                            row.explanations[c]?.stage ?? "",
                        ]
                    })
        }
        let widths = table[0].indices.map { i in table.map { $0[i].count }.max() ?? 0 }
        for line in table {
            out +=
                "\n"
                + line.enumerated().map { i, cell in
                    let pad = String(repeating: " ", count: widths[i] - cell.count)
                    return i < 2 || (i > 2 && (i - 2) % 4 == 0) ? cell + pad : pad + cell
                }.joined(separator: "  ")
        }
        out += "\n\nexplanations\n"
        for c in cases.indices.dropFirst() {
            var seen = Set<String>()
            for row in rows {
                guard let e = row.explanations[c], seen.insert(e.detail).inserted else { continue }
                let keys = rows.filter { $0.explanations[c]?.detail == e.detail }.map(\.key)
                out +=
                    "  \(cases[c].name): \(e.detail)"
                    + (e.parameters.isEmpty ? "" : "; changed here: " + e.parameters.joined(separator: ", "))
                    + " — explains " + keys.joined(separator: ", ") + "\n"
            }
        }
        return out
    }

    /// Long CSV: one row per KPI and case.
    public func csv() -> String {
        var out = "kpi,unit,case,value,difference,relative_difference,stage,explanation\n"
        for row in rows {
            for c in cases.indices {
                let e = row.explanations[c]
                out +=
                    [
                        row.key, row.unit, cases[c].name, row.values[c].map(NumberText.exact) ?? "",
                        row.differences[c].map(NumberText.exact) ?? "",
                        row.relativeDifferences[c].map(NumberText.exact) ?? "",
                        e?.stage ?? "",
                        e.map {
                            $0.detail
                                + ($0.parameters.isEmpty ? "" : "; changed: " + $0.parameters.joined(separator: " "))
                        } ?? "",
                    ]
                    .map(SweepCSV.field).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// JSON: the cases with their changed parameters, and every KPI with its values and differences (numbers
    /// exact, `null` where a case has no value).
    public func json() throws -> String {
        struct Document: Encodable {
            struct CaseObject: Encodable { var name, source: String; var changed: [Change] }
            struct Difference: Encodable {
                var absolute, relative: Double?
                var stage, explanation: String?
                var parameters: [String]?
            }
            struct KPI: Encodable {
                var key, label, unit, section: String
                var values: [String: Double?]
                var differences: [String: Difference]
            }
            var cases: [CaseObject]
            var kpis: [KPI]
        }
        let document = Document(
            cases: cases.enumerated().map { .init(name: $1.name, source: $1.source, changed: changes[$0]) },
            kpis: rows.map { row in
                var values: [String: Double?] = [:]
                var differences: [String: Document.Difference] = [:]
                for c in cases.indices {
                    values[cases[c].name] = row.values[c].flatMap { $0.isFinite ? $0 : nil }
                    guard c > 0 else { continue }
                    let e = row.explanations[c]
                    differences[cases[c].name] = .init(
                        absolute: row.differences[c], relative: row.relativeDifferences[c], stage: e?.stage,
                        explanation: e?.detail, parameters: e?.parameters)
                }
                return .init(
                    key: row.key, label: row.label, unit: row.unit, section: row.section, values: values,
                    differences: differences)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    private func text(_ v: Double?) -> String { v.map { $0.isFinite ? NumberText.compact($0, 5) : "–" } ?? "–" }

    private func percent(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        return (v > 0 ? "+" : "") + NumberText.fixed(v * 100, abs(v) < 0.001 ? 3 : 1) + " %"
    }
}
