public import PlantConfig
import ProcessModel

extension SoftSensors {
    /// What one KPI needs: the signals bound to tags, and whether it needs the plant's process description.
    public struct Requirement: Sendable, Hashable {
        public var kpi: String
        public var signals: [String]
        /// The process parameter it needs (the `process:` section), if any.
        public var process: String?
    }

    /// Every KPI the soft sensors compute, with what it needs (a test checks this against ``compute(_:at:)``).
    public static let requirements: [Requirement] = {
        let dle = ["brine.li", "dle.outlet.li"]
        let balance = ["production.flow", "brine.li", "reinjection.flow", "dle.outlet.li", "eluate.flow", "eluate.li"]
        let cycle = ["eluate.flow", "eluate.li", "dle.column.1.phase"]
        return [
            Requirement(kpi: "li_recovery", signals: dle),
            Requirement(kpi: "li_production", signals: dle + ["dle.inlet.flow"]),
            Requirement(kpi: "lce_per_day", signals: dle + ["dle.inlet.flow"]),
            Requirement(kpi: "product_rate", signals: ["product.rate"]),
            Requirement(kpi: "projected_product", signals: ["product.rate"], process: "availability_hours_per_year"),
            Requirement(kpi: "freshwater_per_tonne", signals: ["product.rate", "freshwater.flow"]),
            Requirement(kpi: "refining_utilisation", signals: ["product.rate"], process: "refining.nameplate_t_per_day"),
            Requirement(kpi: "sorbent_health", signals: ["dle.sorbent.capacity"]),
            Requirement(kpi: "specific_energy", signals: ["power.total", "product.rate"]),
            Requirement(kpi: "li_balance_closure", signals: balance),
            Requirement(kpi: "water_balance_closure", signals: balance),
            Requirement(kpi: "cycle_li_eluted", signals: cycle),
            Requirement(kpi: "cycle_eluate_volume", signals: cycle),
            Requirement(kpi: "cycle_eluate_li", signals: cycle),
        ]
    }()

    /// Which KPIs a plant's soft sensors compute and which are off, and why.
    public struct Coverage: Sendable, Hashable, CustomStringConvertible {
        public var on: [String]
        /// KPI names with the reason each is off.
        public var off: [Off]

        public struct Off: Sendable, Hashable {
            public var kpi: String
            public var reason: String

            public init(kpi: String, reason: String) {
                self.kpi = kpi
                self.reason = reason
            }
        }

        /// One line: `soft sensors: 4 of 14 on (…); off: projected_product (no process: section), …`, where KPIs
        /// off for the same reason are listed together.
        public var description: String {
            var text = "soft sensors: \(on.count) of \(on.count + off.count) on"
            if !on.isEmpty { text += " (" + on.joined(separator: ", ") + ")" }
            guard !off.isEmpty else { return text }
            var reasons: [String] = []
            var byReason: [String: [String]] = [:]
            for item in off {
                if byReason[item.reason] == nil { reasons.append(item.reason) }
                byReason[item.reason, default: []].append(item.kpi)
            }
            return text + "; off: " + reasons.map { "\(byReason[$0]!.joined(separator: ", ")) (\($0))" }.joined(separator: "; ")
        }
    }

    /// The KPIs `plant`'s soft sensors can compute, and why the others are off: a monitoring-only description
    /// has no process section, and a KPI needs its input signals bound to tags.
    public static func coverage(of plant: Plant) -> Coverage {
        let bound = Set(plant.allTags.compactMap(\.signal))
        let parameters = plant.isMonitoringOnly ? nil : try? plant.flowsheetParameters()
        var coverage = Coverage(on: [], off: [])
        for requirement in requirements {
            let missing = requirement.signals.filter { !bound.contains($0) }
            if !missing.isEmpty {
                coverage.off.append(.init(kpi: requirement.kpi, reason: "no tag bound to " + missing.joined(separator: ", ")))
            } else if requirement.process != nil, parameters == nil {
                coverage.off.append(.init(kpi: requirement.kpi, reason: "needs the process: section"))
            } else if requirement.process == "refining.nameplate_t_per_day", parameters?.refining.nameplate == nil {
                coverage.off.append(.init(kpi: requirement.kpi, reason: "no refining.nameplate_t_per_day in process:"))
            } else {
                coverage.on.append(requirement.kpi)
            }
        }
        return coverage
    }
}
