/// One named process variable that the model knows and that a tag can be bound to.
///
/// A plant description binds a Modbus tag to a signal (`signal: production.flow`); the simulator
/// produces the true value of each signal, and the monitor feeds measured signals to the soft sensors.
public struct SignalDefinition: Sendable, Hashable {
    /// Dotted name; `#` stands for a 1-based index (a column number, a well number).
    public var name: String
    /// The dimension of the value; a tag bound to this signal must use a unit of this dimension.
    public var dimension: Dimension
    /// The unit the model uses for this signal in documentation and outputs.
    public var displayUnit: String
    public var summary: String

    public init(_ name: String, _ dimension: Dimension, _ displayUnit: String, _ summary: String) {
        self.name = name
        self.dimension = dimension
        self.displayUnit = displayUnit
        self.summary = summary
    }
}

/// The catalogue of signals (process variables) known to the process model.
public enum SignalCatalogue {
    /// Every signal definition, in flowsheet order.
    public static let all: [SignalDefinition] = [
        // Production well
        .init("production.flow", .volumeFlow, "L/s", "Brine flow from the production well"),
        .init("production.temperature", .temperature, "°C", "Wellhead temperature of the produced brine"),
        .init("production.pressure", .pressure, "bar", "Wellhead pressure"),
        .init("production.pump.running", .dimensionless, "1", "Production pump running (1) or stopped (0)"),
        .init("production.pump.speed", .frequency, "Hz", "Production pump drive frequency"),
        .init("production.pump.power", .power, "kW", "Production pump electrical power"),
        // Brine quality (online or sampled analysis)
        .init("brine.li", .massConcentration, "mg/L", "Lithium in the produced brine"),
        .init("brine.tds", .massConcentration, "g/L", "Total dissolved solids"),
        .init("brine.ph", .dimensionless, "pH", "Brine pH"),
        // Heat exchange
        .init("hx.outlet.temperature", .temperature, "°C", "Brine temperature after the heat exchanger"),
        .init("hx.duty", .power, "kW", "Heat exchanger thermal duty"),
        // DLE sorption train
        .init("dle.inlet.flow", .volumeFlow, "L/s", "Feed into the DLE train: the brine and the returned spent wash"),
        .init("dle.inlet.temperature", .temperature, "°C", "Brine temperature at the DLE inlet"),
        .init("dle.inlet.pressure", .pressure, "bar", "Pressure at the DLE inlet"),
        .init("dle.outlet.li", .massConcentration, "mg/L", "Lithium in the brine leaving the DLE train"),
        .init("dle.column.#.phase", .dimensionless, "1",
              "Cycle phase of column #: 0 idle, 1 load, 2 wash, 3 elute"),
        .init("dle.column.#.dp", .pressure, "bar", "Pressure drop across column #"),
        .init("dle.column.#.outlet.li", .massConcentration, "mg/L", "Lithium at the outlet of column #"),
        .init("dle.sorbent.capacity", .dimensionless, "1", "Sorbent capacity relative to fresh sorbent"),
        .init("wash.flow", .volumeFlow, "m³/h", "Wash solution flow"),
        .init("eluate.flow", .volumeFlow, "m³/h", "Eluate flow leaving the DLE train"),
        .init("eluate.li", .massConcentration, "mg/L", "Lithium in the eluate"),
        // Concentration
        .init("ro.feed.flow", .volumeFlow, "m³/h", "Reverse-osmosis feed flow"),
        .init("ro.permeate.flow", .volumeFlow, "m³/h", "Reverse-osmosis permeate flow"),
        .init("ro.concentrate.li", .massConcentration, "g/L", "Lithium in the RO concentrate"),
        .init("ro.pressure", .pressure, "bar", "Reverse-osmosis feed pressure"),
        // Refinery
        .init("refinery.feed.flow", .volumeFlow, "m³/h", "Concentrate flow into the refinery"),
        .init("refinery.tank.level", .dimensionless, "%", "Refinery feed buffer tank level"),
        .init("refinery.running", .dimensionless, "1", "Refinery running (1) or tripped (0)"),
        .init("product.rate", .massFlow, "kg/h", "Product (LHM or Li2CO3) production rate"),
        .init("product.tank.level", .dimensionless, "%", "Product silo level"),
        // Reinjection, utilities
        .init("reinjection.flow", .volumeFlow, "L/s", "Brine flow returned to the reinjection well"),
        .init("reinjection.temperature", .temperature, "°C", "Reinjection temperature"),
        .init("reinjection.pressure", .pressure, "bar", "Reinjection wellhead pressure"),
        .init("freshwater.flow", .volumeFlow, "m³/h", "Fresh water drawn by the plant: washes, eluent make-up, refinery"),
        .init("power.total", .power, "kW",
              "Electrical power of the lithium plant: DLE, RO, evaporation, refining, base load (not the production pump)"),
        .init("energy.total", .energy, "kWh", "Electrical energy meter of the lithium plant"),
    ]

    /// Looks a signal up by its concrete name (`dle.column.2.dp` matches `dle.column.#.dp`).
    /// - Returns: the definition, or `nil` when the name is not in the catalogue.
    public static func definition(for name: String) -> SignalDefinition? {
        if let exact = byName[name] { return exact }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let generic = parts.map { part in
            (!part.isEmpty && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part)! >= 1)
                ? "#" : String(part)
        }.joined(separator: ".")
        return byName[generic]
    }

    private static let byName: [String: SignalDefinition] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })
}
