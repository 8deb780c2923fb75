import Foundation
import PlantConfig
import ProcessModel
public import Reporting

extension CalibrationResult {
    /// Estimates with intervals, the correlation matrix and the residuals' summary, as text.
    public func table(solveSeconds: Double? = nil) -> String {
        func number(_ value: Double) -> String { String(format: "%.5g", value) }
        let width = max(9, parameters.map(\.key.count).max() ?? 0)
        func pad(_ text: String, _ n: Int, left: Bool = false) -> String {
            let space = String(repeating: " ", count: max(0, n - text.count))
            return left ? text + space : space + text
        }
        var lines = [
            pad("parameter", width, left: true) + "  " + pad("start", 11) + "  " + pad("estimate", 11) + "  "
                + pad("95 % CI low", 11) + "  " + pad("high", 11) + "  " + pad("±%", 8) + "  unit"
        ]
        for (j, parameter) in parameters.enumerated() {
            let interval = intervals[j]
            let halfWidth = interval.map { ($0.upperBound - $0.lowerBound) / 2 / abs(estimates[j]) * 100 }
            lines.append(
                pad(parameter.key, width, left: true) + "  " + pad(number(parameter.start), 11) + "  "
                    + pad(number(estimates[j]), 11) + "  " + pad(interval.map { number($0.lowerBound) } ?? "at bound", 11)
                    + "  " + pad(interval.map { number($0.upperBound) } ?? "", 11) + "  "
                    + pad(halfWidth.map { String(format: "%.3g", $0) } ?? "", 8) + "  " + parameter.unit)
        }
        lines.append("")
        lines.append("correlation")
        for (i, row) in correlation.enumerated() {
            lines.append(pad(parameters[i].key, width, left: true) + "  " + row.map { pad(String(format: "%+.4f", $0), 8) }.joined(separator: " "))
        }
        lines.append("")
        let sigma = "σ " + (reducedChiSquare.isFinite ? String(format: "%.4g", reducedChiSquare.squareRoot()) : "nan")
        lines.append(
            "\(points) points, \(degreesOfFreedom) degrees of freedom, reduced χ² \(String(format: "%.4g", reducedChiSquare)) "
                + "(\(sigma) in weighted units), t(0.975) \(String(format: "%.4f", tQuantile))")
        lines.append(
            "\(iterations) iterations, \(solves) column solves" + (solveSeconds.map { String(format: " in %.2f s", $0) } ?? "")
                + (converged ? "" : " (NOT converged: raise the iterations or check the start values)"))
        return lines.joined(separator: "\n")
    }
}

extension Calibration {
    /// Measured points and fitted curves (with the residuals) as CSV: run, series, time, measured, fitted,
    /// residual, weighted residual.
    public func residualsCSV(_ result: CalibrationResult) -> String {
        var text = "run,component,unit,time_s,measured,fitted,residual,weighted_residual\n"
        for (r, run) in runs.enumerated() {
            for (s, series) in run.series.enumerated() {
                for (i, point) in series.points.enumerated() {
                    let fitted = result.fitted[r][s][i], residual = fitted - point.value
                    let time = sampleTimes[r][pointTimeIndex[r][s][i]]
                    text += "\(run.file),\(series.component),\(series.unit),\(time),\(point.value),\(fitted),\(residual),"
                        + "\(residual * weights[r][s][i].squareRoot())\n"
                }
            }
        }
        return text
    }

    /// Data (markers) against the fitted curves, every run and component, over time in hours.
    public func chart(_ result: CalibrationResult) -> LineChart {
        let units = Set(runs.flatMap { $0.series.map(\.unit) })
        var chart = LineChart(
            title: "calibration of \(file.file): data and fit", x: ChartAxis("time", unit: "h"),
            y: ChartAxis("outlet", unit: units.count == 1 ? Self.unitSymbol[units.first!] : nil))
        for (r, run) in runs.enumerated() {
            for (s, series) in run.series.enumerated() {
                let hours = pointTimeIndex[r][s].map { sampleTimes[r][$0] / 3600 }
                let label = runs.count > 1 ? "\(series.component) \(run.file)" : series.component
                chart.add("\(label) measured", x: hours, y: series.points.map(\.value), markers: true)
                chart.add("\(label) fit", x: hours, y: result.fitted[r][s])
            }
        }
        chart.includesZero = true
        return chart
    }

    /// Symbols of the data files' unit suffixes.
    static let unitSymbol = ["mg_per_l": "mg/L", "g_per_l": "g/L", "mol_per_m3": "mol/m³", "mmol_per_l": "mmol/L"]

    /// The experiment file with the estimates written at the fitted keys, and a comment at the top saying
    /// what was fitted to what.
    ///
    /// - Throws: ``PlantConfigError`` when a fitted key cannot be written in place.
    public func calibratedText(_ result: CalibrationResult, data: [String], date: String) throws -> String {
        let values = parameters.indices.map { (parameters[$0].key, text(result.estimates[$0], parameters[$0])) }
        var body = try file.rewritten(values)
        var header = ["# [C] Calibrated by `geolith calibrate` on \(date) from \(data.joined(separator: ", ")):"]
        for (j, parameter) in parameters.enumerated() {
            let interval = result.intervals[j].map { String(format: "95 %% CI %.4g…%.4g", $0.lowerBound, $0.upperBound) } ?? "at a bound"
            header.append("#   \(parameter.key) = \(text(result.estimates[j], parameter)) (\(interval); start \(parameter.start))")
        }
        if !file.settings.isEmpty {
            header.append("#   with --set " + file.settings.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        body = header.joined(separator: "\n") + "\n" + body
        return body
    }
}
