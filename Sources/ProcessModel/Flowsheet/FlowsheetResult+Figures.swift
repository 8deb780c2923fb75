/// One reported figure: a stable key (CSV column, JSON field, sweep objective), a value and its unit.
public struct FlowsheetFigure: Sendable, Hashable {
    public var section: String
    public var key: String
    public var label: String
    public var value: Double?
    public var unit: String

    public init(_ section: String, _ key: String, _ label: String, _ value: Double?, _ unit: String) {
        self.section = section
        self.key = key
        self.label = label
        self.value = value
        self.unit = unit
    }
}

/// One stage of the per-stage breakdown: lithium and water through it, and its electricity.
public struct FlowsheetStageRow: Sendable, Hashable {
    public var stage: String
    /// Li entering, passed on to the next stage, and leaving elsewhere (reinjection, losses), kg/h.
    public var lithiumIn: Double
    public var lithiumOut: Double
    public var lithiumElsewhere: Double
    /// Liquid entering and passed on, m³/h.
    public var waterIn: Double
    public var waterOut: Double
    public var powerKilowatts: Double
    public var note: String
}

extension FlowsheetResult {
    /// Every KPI of the estimate, in report order: ``FlowsheetKPI/all`` read from this result, then the
    /// reagents of its refining route. Keys are stable: sweeps and JSON use them.
    public var figures: [FlowsheetFigure] {
        FlowsheetKPI.all.map { .init($0.section, $0.key, $0.label(for: self), $0.value(in: self), $0.unit) }
            + reagentsPerTonne.map { .init("reagents", "reagent_" + Self.slug($0.name), $0.name, $0.tonnesPerTonne, "t/t") }
    }

    /// The per-stage breakdown: well → heat exchange → DLE → concentration → refining → reinjection.
    public var stageBreakdown: [FlowsheetStageRow] {
        let h = 3600.0
        let brineLi = brineLithium.si * h
        let netDLE = (brineLithium.si - raffinateLithium.si) * h
        return [
            .init(stage: "well", lithiumIn: brineLi, lithiumOut: brineLi, lithiumElsewhere: 0,
                  waterIn: brineFlow.cubicMetresPerHour, waterOut: brineFlow.cubicMetresPerHour, powerKilowatts: 0,
                  note: "\(Self.text(brineFlow.litresPerSecond)) L/s at \(Self.text(parameters.brine.lithium.milligramsPerLitre)) mg/L"),
            .init(stage: "heat exchange", lithiumIn: brineLi, lithiumOut: brineLi, lithiumElsewhere: 0,
                  waterIn: brineFlow.cubicMetresPerHour, waterOut: brineFlow.cubicMetresPerHour, powerKilowatts: 0,
                  note: "to \(Self.text(dleInletTemperature.celsius)) °C, \(Self.text(heatRecovered.megawatts)) MW recovered"),
            .init(stage: "DLE", lithiumIn: brineLi, lithiumOut: netDLE, lithiumElsewhere: raffinateLithium.si * h,
                  waterIn: feedFlow.cubicMetresPerHour, waterOut: eluentFlow.cubicMetresPerHour,
                  powerKilowatts: dlePower.kilowatts,
                  note: "\(parameters.dle.model.rawValue) model, per pass \(Self.text(perPassRecovery * 100)) %"),
            .init(stage: "concentration", lithiumIn: netDLE, lithiumOut: refineryFeedLithium.si * h,
                  lithiumElsewhere: permeateLithiumToReinjection.si * h, waterIn: eluentFlow.cubicMetresPerHour,
                  waterOut: concentrateFlow.cubicMetresPerHour,
                  powerKilowatts: concentrationPower.kilowatts + evaporationPower.kilowatts,
                  note: "\(parameters.concentration.method.rawValue), ×\(Self.text(parameters.concentration.effectiveConcentrationFactor))"),
            .init(stage: "refining", lithiumIn: refineryFeedLithium.si * h, lithiumOut: productLithium.si * h,
                  lithiumElsewhere: (refiningYieldLoss.si + refiningBypassLoss.si) * h,
                  waterIn: concentrateFlow.cubicMetresPerHour + refineryProcessWater.cubicMetresPerHour, waterOut: 0,
                  powerKilowatts: refiningPower.kilowatts, note: parameters.refining.route.rawValue),
            .init(stage: "reinjection", lithiumIn: reinjectionLithium.si * h, lithiumOut: 0, lithiumElsewhere: 0,
                  waterIn: reinjectionFlow.cubicMetresPerHour, waterOut: 0, powerKilowatts: 0,
                  note: "at \(Self.text(reinjectionTemperature.celsius)) °C"),
        ]
    }

    /// `value` to `significant` figures as text, for notes (ProcessModel has no Foundation formatting).
    static func text(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite, value != 0 else { return value.isNaN ? "nan" : "\(value == 0 ? 0 : value)" }
        let magnitude = Int((abs(value)).log10Floor)
        let decimals = max(0, significant - 1 - magnitude)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return decimals == 0 ? "\(Int64(rounded))" : "\(rounded)"
    }

    static func slug(_ name: String) -> String {
        let head = name.split(separator: " ").first.map(String.init) ?? name
        return head.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}

extension Double {
    /// ⌊log10(self)⌋ for positive finite values, by repeated division (exact at powers of ten).
    fileprivate var log10Floor: Double {
        var v = self, n = 0.0
        while v >= 10 { v /= 10; n += 1 }
        while v < 1 { v *= 10; n -= 1 }
        return n
    }
}
