/// A plant's DLE column as ``DynamicSorption/column(for:cells:)`` builds it: the column model, its cycle, the
/// feed and, for a salt-modulated sorbent, the chloride each step brings (component 0, the modulator).
public struct PlantColumn: Sendable {
    /// Chloride of the liquid each step feeds, mol/m³.
    public struct Chloride: Sendable, Hashable {
        public var load: Double
        public var wash: Double
        public var elute: Double
    }

    public var model: ColumnModel
    public var schedule: ColumnCycleSchedule
    /// Li in the brine the column loads, mol/m³.
    public var feed: Double
    /// The chloride of load, wash and elution; `nil` when the sorbent's affinity does not depend on salt (one
    /// component, Li).
    public var chloride: Chloride?

    /// Li's index among the model's components: 1 behind the modulator, else 0.
    public var lithium: Int { model.isotherm.targetComponent }

    /// The inlet concentrations (mol/m³) of a step of `kind` carrying `lithium` mol/m³ of Li.
    public func inlet(_ kind: ColumnStepKind, lithium: Double) -> [Double] {
        Self.inlet(kind, lithium: lithium, chloride: chloride)
    }

    /// The inlet of a step of `kind` with `lithium` mol/m³ of Li, behind its chloride when there is a modulator.
    static func inlet(_ kind: ColumnStepKind, lithium: Double, chloride: Chloride?) -> [Double] {
        guard let chloride else { return [lithium] }
        let salt: Double =
            switch kind {
            case .load: chloride.load
            case .wash: chloride.wash
            case .elute: chloride.elute
            }
        return [salt, lithium]
    }

    /// Concentration scales of the components for the integrator's tolerances: the brine's chloride, Li's feed.
    public var componentScales: [Double] {
        guard let chloride else { return [feed] }
        return [max(chloride.load, chloride.wash, chloride.elute, feed), feed]
    }

    /// A simulator of this column from a fresh bed, with the components' scales set.
    public func simulator(tolerances: ColumnTolerances, sampleInterval: Double? = nil) -> ColumnSimulator {
        var simulator = ColumnSimulator(
            model: model, tolerances: tolerances, sampleInterval: sampleInterval, concentrationScale: feed)
        simulator.componentScales = componentScales
        return simulator
    }
}
