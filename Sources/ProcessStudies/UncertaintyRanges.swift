import Foundation
import PlantConfig
import ProcessModel

/// The range an assumed ([U]) parameter may take, for `geolith estimate --uncertainty`: absolute bounds in
/// the parameter's unit, or factors on the plant's own value.
public struct UncertaintyRange: Sendable, Hashable {
    public enum Bounds: Sendable, Hashable {
        /// From `low` to `high`, in the parameter's unit.
        case absolute(Double, Double)
        /// From `low`× to `high`× the plant's value.
        case relative(Double, Double)
    }

    public var key: String
    public var bounds: Bounds
    /// Why this range: the assumption it brackets.
    public var reason: String

    public init(key: String, bounds: Bounds, reason: String) {
        self.key = key
        self.bounds = bounds
        self.reason = reason
    }

    /// The interval for a plant whose value is `value`, clipped to the parameter's valid range.
    func interval(around value: Double, valid: ClosedRange<Double>) -> ClosedRange<Double> {
        var (low, high): (Double, Double)
        switch bounds {
        case let .absolute(a, b): (low, high) = (a, b)
        case let .relative(a, b): (low, high) = value >= 0 ? (value * a, value * b) : (value * b, value * a)
        }
        low = min(max(low, valid.lowerBound), valid.upperBound)
        high = min(max(high, valid.lowerBound), valid.upperBound)
        return min(low, high)...max(low, high)
    }

    /// The defaults: every number the shipped plants take as an assumption ([U], "assumed" in
    /// `geolith estimate --list-parameters`) that changes t Li/yr, t product/yr, water or energy per tonne,
    /// with a range that brackets the assumption (reasons in docs/sources.md, "Uncertainty of estimates").
    public static let defaults: [UncertaintyRange] = [
        .init(key: "brine.li", bounds: .relative(0.9, 1.1),
              reason: "site Li is [U]; 170-200 ppm across North Alsace spans ±8 %"),
        .init(key: "brine.tds", bounds: .relative(0.8, 1.2), reason: "site TDS is [U] (≈100 g/L regional)"),
        .init(key: "heat_exchange.specific_heat_j_per_kg_k", bounds: .absolute(3400, 3800),
              reason: "3,600 assumed; PETher values not read"),
        .init(key: "dle.elution_efficiency", bounds: .absolute(0.90, 0.99), reason: "0.95 assumed"),
        .init(key: "dle.leakage", bounds: .absolute(0.01, 0.04), reason: "0.02 assumed"),
        .init(key: "dle.front_sharpness", bounds: .absolute(2, 8), reason: "4 assumed"),
        .init(key: "dle.auxiliary_kwh_per_m3", bounds: .relative(0.5, 1.5), reason: "0.2 kWh/m³ assumed"),
        .init(key: "sorbent.langmuir_l_per_mg", bounds: .relative(0.5, 2), reason: "0.02 L/mg assumed ([U])"),
        .init(key: "sorbent.bulk_density_kg_per_m3", bounds: .relative(0.85, 1.15), reason: "650 kg/m³ assumed"),
        .init(key: "sorbent.capacity_temperature_coefficient_per_k", bounds: .absolute(-0.008, 0),
              reason: "-0.004 /K assumed ([U])"),
        .init(key: "sorbent.fade_per_cycle", bounds: .relative(0.25, 4), reason: "2e-5 assumed ([U])"),
        .init(key: "concentration.concentration_factor", bounds: .relative(0.75, 1.25), reason: "8 assumed (up to 16 [S])"),
        .init(key: "concentration.li_rejection", bounds: .absolute(0.95, 0.995), reason: "0.98 assumed ([U])"),
        .init(key: "concentration.energy_kwh_per_m3", bounds: .relative(0.67, 1.33), reason: "3 kWh/m³ assumed ([U])"),
        .init(key: "concentration.evaporation_kwh_per_m3", bounds: .relative(0.6, 1.4), reason: "25 kWh/m³ assumed"),
        .init(key: "refining.reagent_excess", bounds: .absolute(0.05, 0.2), reason: "0.1 assumed"),
        .init(key: "refining.energy_kwh_per_t", bounds: .relative(0.5, 1.5), reason: "500 kWh/t assumed"),
        .init(key: "refining.process_water_m3_per_t", bounds: .relative(0.5, 2), reason: "5 m³/t assumed"),
    ]

    /// Ranges from a file: a YAML mapping of keys to `[low, high]` (the parameter's unit), `±20%` (around the
    /// plant's value) or `fixed` (not varied). Keys not in the file keep their default range; a key may be
    /// any number of `geolith estimate --list-parameters`.
    ///
    /// ```yaml
    /// brine.li: [170, 200]
    /// sorbent.langmuir_l_per_mg: ±50%
    /// refining.energy_kwh_per_t: fixed
    /// ```
    ///
    /// - Throws: ``PlantConfigError`` with file, line, column and key for YAML errors, unknown or non-numeric
    ///   keys, and malformed ranges.
    public static func reading(yaml: String, file: String, over defaults: [UncertaintyRange] = defaults) throws -> [UncertaintyRange] {
        let root = try ConfigNode.parse(yaml: yaml, file: file)
        guard case let .mapping(entries, location) = root else {
            throw PlantConfigError(issues: [
                .init(file: file, line: root.location.line, column: root.location.column, keyPath: "",
                      message: "expected a mapping of parameter keys to ranges", kind: .wrongType)
            ])
        }
        _ = location
        var ranges = defaults
        var issues: [PlantConfigError.Issue] = []
        func report(_ node: ConfigNode, _ key: String, _ message: String, _ kind: PlantConfigError.Kind = .invalidValue) {
            issues.append(.init(file: file, line: node.location.line, column: node.location.column, keyPath: key, message: message, kind: kind))
        }
        for entry in entries {
            let key = entry.key
            guard let parameter = ProcessParameterCatalogue.parameter(key), case .number = parameter.kind else {
                let keys = ProcessParameterCatalogue.all.compactMap { p -> String? in if case .number = p.kind { p.key } else { nil } }
                issues.append(.init(file: file, line: entry.keyLocation.line, column: entry.keyLocation.column, keyPath: key,
                                    message: "not a numeric process parameter" + KeySuggestions.hint(for: key, among: keys), kind: .unknownKey))
                continue
            }
            ranges.removeAll { $0.key == key }
            switch entry.value {
            case let .sequence(items, _):
                let values = items.compactMap { $0.string.flatMap { try? parameter.number(from: $0) } }
                guard items.count == 2, values.count == 2, values[0] < values[1] else {
                    report(entry.value, key, "expected [low, high] with low < high, numbers inside the parameter's range (\(parameter.unit ?? ""))")
                    continue
                }
                ranges.append(.init(key: key, bounds: .absolute(values[0], values[1]), reason: "\(file)"))
            case let .scalar(text, _):
                if text == "fixed" { continue }
                let trimmed = text.replacingOccurrences(of: " ", with: "")
                guard trimmed.hasPrefix("±") || trimmed.hasPrefix("+-"), trimmed.hasSuffix("%"),
                    let percent = Double(trimmed.dropFirst(trimmed.hasPrefix("±") ? 1 : 2).dropLast()), percent > 0, percent < 100
                else {
                    report(entry.value, key, "expected [low, high], ±N% (0 < N < 100) or fixed, found \"\(text.prefix(30))\"")
                    continue
                }
                ranges.append(.init(key: key, bounds: .relative(1 - percent / 100, 1 + percent / 100), reason: "\(file)"))
            case .mapping:
                report(entry.value, key, "expected [low, high], ±N% or fixed, found a mapping")
            }
        }
        if !issues.isEmpty { throw PlantConfigError(issues: issues) }
        return ranges
    }
}
