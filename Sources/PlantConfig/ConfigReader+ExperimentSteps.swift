import ProcessModel

extension ConfigReader {
    static let stepKeys = [
        "name", "kind", "flow_bv_per_h", "flow_ml_per_min", "velocity_m_per_h", "inlet", "temperature_c", "reverse",
        "end",
    ]
    static let endKeys = ["time_s", "time_min", "time_h", "bed_volumes", "breakthrough", "component", "max_bed_volumes"]

    func experimentSteps(_ node: ConfigNode, _ path: String, _ context: ExperimentContext) -> [ColumnStep]? {
        guard let items = list(node, path) else { return nil }
        guard !items.isEmpty else {
            report(node.location, path, "an experiment needs at least one step", .invalidValue)
            return nil
        }
        var steps: [ColumnStep] = []
        var names: Set<String> = []
        for (i, item) in items.enumerated() {
            guard let step = experimentStep(item, "\(path)[\(i)]", context) else { continue }
            if !names.insert(step.name).inserted {
                report(item.location, "\(path)[\(i)].name", "step \"\(step.name)\" is named twice", .duplicateName)
            }
            steps.append(step)
        }
        return steps.count == items.count ? steps : nil
    }

    private func experimentStep(_ node: ConfigNode, _ path: String, _ context: ExperimentContext) -> ColumnStep? {
        guard let fields = mapping(node, path, keys: Self.stepKeys) else { return nil }
        let name = fields.get("name", required: true, string)
        let kinds: [(String, ColumnStepKind)] = [("load", .load), ("wash", .wash), ("elute", .elute)]
        let kind = fields.get("kind", required: true) { choice($0, $1, kinds, what: "step kind") }
        // Superficial velocity u_s, m/s.
        var velocity: Double?
        switch oneOf(fields, ["flow_bv_per_h", "flow_ml_per_min", "velocity_m_per_h"]) {
        case "flow_bv_per_h":
            // BV/h × bed volume (L·A) / A = BV/h × L, per hour.
            velocity = fields.get("flow_bv_per_h") { number($0, $1, above: 0, most: 1e6) }.map { $0 * context.length / 3600 }
        case "flow_ml_per_min":
            velocity = fields.get("flow_ml_per_min") { number($0, $1, above: 0, most: 1e12) }
                .map { $0 * 1e-6 / 60 / context.area }
        case "velocity_m_per_h":
            velocity = fields.get("velocity_m_per_h") { number($0, $1, above: 0, most: 1e6) }.map { $0 / 3600 }
        default: break
        }
        let inlet = fields.get("inlet") { inletConcentrations($0, $1, context) } ?? Array(repeating: 0, count: context.names.count)
        let celsius = fields.get("temperature_c") { number($0, $1, above: -273.15, most: 400) }
        let reversed = fields.get("reverse", bool) ?? false
        let end = fields.get("end", required: true) { stepEnd($0, $1, context, inlet: inlet, velocity: velocity) }
        guard let name, let kind, let velocity, let end else { return nil }
        let dispersion = context.peclet.map { velocity / context.voidage * context.length / $0 }
        let flow = ColumnFlow(
            superficialVelocity: velocity, inlet: inlet, temperature: celsius.map { $0 + 273.15 } ?? context.referenceTemperature,
            reversed: reversed, dispersion: dispersion)
        return ColumnStep(name: name, kind: kind, flow: flow, end: end)
    }

    /// Inlet concentrations in mol/m³, model order; components not named are 0.
    private func inletConcentrations(_ node: ConfigNode, _ path: String, _ context: ExperimentContext) -> [Double]? {
        guard let fields = mapping(node, path, keys: context.names) else { return nil }
        var inlet = Array(repeating: 0.0, count: context.names.count)
        for (k, name) in context.names.enumerated() {
            if let value = fields.get(name, { concentration($0, $1, molarMass: context.components[k].molarMass) }) {
                inlet[k] = value
            }
        }
        return inlet
    }

    /// A concentration with its unit (`180 mg/L`, `60 g/L`, `1700 mol/m3`, `0`), in mol/m³.
    func concentration(_ node: ConfigNode, _ path: String, molarMass: Double) -> Double? {
        guard let text = string(node, path) else { return nil }
        let (number, unitText) = text.leadingNumberAndUnit
        guard let value = number, value >= 0 else {
            report(node.location, path, "expected a concentration ≥ 0 with its unit (180 mg/L, 60 g/L, 1700 mol/m3), found \"\(text.prefix(40))\"", .wrongType)
            return nil
        }
        if unitText.isEmpty {
            guard value == 0 else {
                report(node.location, path, "give the unit of \(value): mg/L, g/L, mol/m3 or mmol/L", .unknownUnit)
                return nil
            }
            return 0
        }
        guard let unit = EngineeringUnit.named(unitText),
            unit.dimension == .massConcentration || unit.dimension == .molarConcentration
        else {
            report(node.location, path, "unknown concentration unit \"\(unitText.prefix(20))\"; expected mg/L, g/L, kg/m3, mol/m3 or mmol/L", .unknownUnit)
            return nil
        }
        let si = unit.toSI(value)
        // kg/m³ × 1000 = g/m³; ÷ g/mol = mol/m³.
        return unit.dimension == .molarConcentration ? si : si * 1000 / molarMass
    }

    private func stepEnd(
        _ node: ConfigNode, _ path: String, _ context: ExperimentContext, inlet: [Double], velocity: Double?
    ) -> ColumnStepEnd? {
        guard let fields = mapping(node, path, keys: Self.endKeys) else { return nil }
        let chosen = oneOf(fields, ["time_s", "time_min", "time_h", "bed_volumes", "breakthrough"])
        if chosen != "breakthrough" {
            for key in ["component", "max_bed_volumes"] where fields.node(key) != nil {
                report(fields.node(key)!.location, fields.path(key), "only a breakthrough end takes \(key)", .invalidValue)
            }
        }
        let scale: [String: Double] = ["time_s": 1, "time_min": 60, "time_h": 3600]
        switch chosen {
        case let key? where scale[key] != nil:
            return fields.get(key) { number($0, $1, above: 0, most: 1e10) }.map { .duration($0 * scale[key]!) }
        case "bed_volumes":
            return fields.get("bed_volumes") { number($0, $1, above: 0, most: 1e7) }.map { .bedVolumes($0) }
        case "breakthrough":
            let fraction = fields.get("breakthrough") { number($0, $1, above: 0, most: 1) }
            let choices = context.names.enumerated().map { ($1, $0) }
            let component = fields.get("component") { choice($0, $1, choices, what: "component") } ?? context.target
            let maximum = fields.get("max_bed_volumes", required: true) { number($0, $1, above: 0, most: 1e7) }
            if inlet[component] <= 0 {
                report(fields.location, path, "a breakthrough of \(context.names[component]) needs it in this step's inlet", .invalidValue)
                return nil
            }
            guard let fraction, let maximum, let velocity else { return nil }
            let seconds = maximum * context.length * context.area / (velocity * context.area)
            return .breakthrough(component: component, fraction: fraction, maximumDuration: seconds)
        default:
            return nil
        }
    }
}
