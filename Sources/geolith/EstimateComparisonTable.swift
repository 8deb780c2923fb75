import CommandSupport
import Foundation
import PlantConfig
import Simulator

/// `geolith simulate FILE --compare-estimate`: the simulated plant's means against `geolith estimate`, as Markdown.
struct EstimateComparisonTable {
    var plant: Plant
    var comparison: EstimateComparison

    func markdown() -> String {
        var lines = [
            "\(plant.name) (`\(plant.id)`): simulator means over \(String(format: "%.1f", comparison.hours)) h "
                + "(\(comparison.cycles) DLE cycles after one of start-up) against `geolith estimate`",
            "",
            "| KPI | unit | estimate | simulator mean | difference |",
            "|---|---|---:|---:|---:|",
        ]
        for row in comparison.rows {
            lines.append(
                "| \(row.label) | \(row.unit) | \(Self.number(row.estimate)) | \(Self.number(row.simulated)) | "
                    + String(format: "%+.2f %%", row.difference * 100) + " |")
        }
        lines.append("")
        lines.append(
            String(
                format:
                    "tanks: buffer %.0f–%.0f %%, spent wash %.0f–%.0f %%, product silo %.0f–%.0f %%; Li balance closure %.1e",
                comparison.bufferLevel.lowerBound, comparison.bufferLevel.upperBound,
                comparison.spentWashLevel.lowerBound,
                comparison.spentWashLevel.upperBound, comparison.siloLevel.lowerBound, comparison.siloLevel.upperBound,
                comparison.lithiumBalanceError))
        return lines.joined(separator: "\n")
    }

    static func number(_ x: Double) -> String {
        let a = abs(x)
        return a >= 100 ? String(format: "%.1f", x) : a >= 10 ? String(format: "%.2f", x) : String(format: "%.3f", x)
    }
}
