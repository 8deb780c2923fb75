public import ProcessModel

/// Several plants (or variants of one) side by side: every KPI, its difference to the first case, and for each
/// difference the stage that explains it.
///
/// The explaining stage comes from the per-stage breakdown (``FlowsheetResult/stageBreakdown``) and the stage
/// figures of the result: each KPI is written as stage factors (the Li in the product is Li delivered × DLE,
/// concentration and refining yields; the wash water is brine flow × wash per m³ × fresh share, and so on) and its
/// difference split exactly over them (``StageAttribution``, LMDI-I). The stage with the largest share explains it,
/// with the changed parameters that feed that stage, or the upstream changes it responds to. When no stage moved,
/// a changed plant-wide parameter explains the difference; balance closures and iteration counts are not
/// explained.
public struct PlantComparison: Sendable {
    /// One plant or variant.
    public struct Case: Sendable {
        public var name: String
        /// Where it comes from: a file, or the variant's overrides.
        public var source: String
        public var parameters: FlowsheetParameters
        public var result: FlowsheetResult
    }

    /// A parameter that differs from the first case.
    public struct Change: Sendable, Hashable, Encodable {
        public var key: String
        public var from: String
        public var to: String
        /// The stage the parameter feeds.
        public var stage: String
    }

    /// Why a KPI differs from the first case.
    public struct Explanation: Sendable, Hashable {
        public var stage: String
        /// The stage's part of the change (0...1) in the decomposition over stages.
        public var share: Double
        /// What changed at that stage, with figures.
        public var detail: String
        /// Changed parameters that feed the stage.
        public var parameters: [String]
    }

    /// One KPI across the cases.
    public struct Row: Sendable {
        public var key: String
        public var label: String
        public var unit: String
        public var section: String
        public var values: [Double?]
        /// Against the first case (nil for the first itself, or without values).
        public var differences: [Double?]
        public var relativeDifferences: [Double?]
        public var explanations: [Explanation?]
    }

    public let cases: [Case]
    /// `changes[c]`: the parameters of case `c` that differ from case 0.
    public let changes: [[Change]]
    public let rows: [Row]

    /// Solves every case (coupling the column model where a case's DLE model is `dynamic`).
    ///
    /// - Throws: ``StudyError`` naming a case that cannot be solved.
    public init(_ inputs: [(name: String, source: String, parameters: FlowsheetParameters)]) throws(StudyError) {
        guard inputs.count >= 2 else {
            throw StudyError(.invalidInput, "compare needs at least two plants or variants")
        }
        var cases: [Case] = []
        for input in inputs {
            do {
                let (coupled, _) = try DynamicSorption.couple(input.parameters)
                cases.append(
                    Case(
                        name: input.name, source: input.source, parameters: coupled,
                        result: try Flowsheet.solve(coupled)))
            } catch {
                throw StudyError(.invalidInput, "\(input.name): \(error)")
            }
        }
        self.cases = cases
        let changes = cases.map { Self.changes(from: cases[0].parameters, to: $0.parameters) }
        self.changes = changes
        let base = cases[0].result
        var rows: [Row] = []
        let figures = cases.map(\.result.figures)
        var keys = figures[0].map(\.key)
        for list in figures.dropFirst() { keys += list.map(\.key).filter { !keys.contains($0) } }
        for key in keys {
            let found = figures.map { list in list.first { $0.key == key } }
            let template = found.compactMap { $0 }.first!
            let values = found.map { $0?.value }
            var row = Row(
                key: key, label: template.label, unit: template.unit, section: template.section, values: values,
                differences: [nil], relativeDifferences: [nil], explanations: [nil])
            for c in cases.indices.dropFirst() {
                guard let a = values[0], let b = values[c] else {
                    row.differences.append(nil)
                    row.relativeDifferences.append(nil)
                    row.explanations.append(nil)
                    continue
                }
                // Below 1e-12 of the values a difference is rounding in the solver: none.
                let differs = abs(b - a) > 1e-12 * max(abs(a), abs(b), 1e-300)
                let difference = differs ? b - a : 0
                row.differences.append(difference)
                row.relativeDifferences.append(a != 0 ? difference / abs(a) : nil)
                row.explanations.append(
                    differs
                        ? Self.explain(
                            key: key, section: template.section, base: base, other: cases[c].result, changes: changes[c]
                        )
                        : nil)
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// The row of KPI `key`.
    public func row(_ key: String) -> Row? { rows.first { $0.key == key } }

    /// Catalogue parameters whose values differ, and the brine's other species.
    static func changes(from a: FlowsheetParameters, to b: FlowsheetParameters) -> [Change] {
        var list: [Change] = []
        for parameter in ProcessParameterCatalogue.all {
            let x = parameter.value(in: a), y = parameter.value(in: b)
            if x != y, x != nil || y != nil {
                list.append(
                    Change(key: parameter.key, from: x ?? "–", to: y ?? "–", stage: stage(ofParameter: parameter.key)))
            }
        }
        if a.brine.composition != b.brine.composition {
            list.append(Change(key: "brine.composition", from: "file A", to: "file B", stage: "well"))
        }
        return list
    }

    /// The stage a parameter feeds, by its key path.
    public static func stage(ofParameter key: String) -> String {
        if key == "production.flow" || key.hasPrefix("brine.") { return "well" }
        if key.hasPrefix("heat_exchange.") || key == "dle.inlet_temperature_c" { return "heat exchange" }
        if key.hasPrefix("dle.") || key.hasPrefix("sorbent.") { return "DLE" }
        if key.hasPrefix("concentration.") { return "concentration" }
        if key.hasPrefix("refining.") { return "refining" }
        if key.hasPrefix("reinjection.") { return "reinjection" }
        if key == "availability_hours_per_year" || key == "energy.base_load_kw" { return "operation" }
        if key.hasPrefix("energy.") { return "site grid" }
        if key.hasPrefix("reservoir.") { return "reservoir" }
        return "plant"
    }
}
