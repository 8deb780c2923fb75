/// The physical dimension of a quantity: what units it may be expressed in.
public enum Dimension: String, Sendable, Hashable, CaseIterable {
    case dimensionless, temperature, pressure, volumeFlow, massFlow, massConcentration
    case molarConcentration, power, energy, mass, volume, length, time, frequency
    case electricCurrent, voltage, conductivity, speed
}

/// A unit of measure as written in a plant description, with its conversion to SI.
///
/// `si = value × factor + offset`. Only temperatures have an offset.
/// Example: `EngineeringUnit.named("m³/h")!.toSI(36)` is 0.01 m³/s.
public struct EngineeringUnit: Sendable, Hashable {
    public var symbol: String
    public var dimension: Dimension
    /// Multiplier to the SI unit of the dimension.
    public var factor: Double
    /// Added after the multiplication (kelvin offset of °C).
    public var offset: Double

    public init(_ symbol: String, _ dimension: Dimension, factor: Double, offset: Double = 0) {
        self.symbol = symbol
        self.dimension = dimension
        self.factor = factor
        self.offset = offset
    }

    /// Converts a value in this unit to SI.
    public func toSI(_ value: Double) -> Double { value * factor + offset }
    /// Converts an SI value to this unit.
    public func fromSI(_ value: Double) -> Double { (value - offset) / factor }

    /// The unit with this symbol (aliases accepted: `m3/h` = `m³/h`, `degC` = `°C`), or `nil`.
    public static func named(_ symbol: String) -> EngineeringUnit? {
        table[symbol] ?? aliases[symbol].flatMap { table[$0] }
    }

    /// Every known unit, SI units first within each dimension.
    public static let all: [EngineeringUnit] = [
        .init("1", .dimensionless, factor: 1),
        .init("%", .dimensionless, factor: 0.01),
        .init("pH", .dimensionless, factor: 1),
        .init("K", .temperature, factor: 1),
        .init("°C", .temperature, factor: 1, offset: 273.15),
        .init("Pa", .pressure, factor: 1),
        .init("kPa", .pressure, factor: 1e3),
        .init("bar", .pressure, factor: 1e5),
        .init("mbar", .pressure, factor: 100),
        .init("MPa", .pressure, factor: 1e6),
        .init("m³/s", .volumeFlow, factor: 1),
        .init("L/s", .volumeFlow, factor: 1e-3),
        .init("m³/h", .volumeFlow, factor: 1.0 / 3600),
        .init("L/min", .volumeFlow, factor: 1e-3 / 60),
        .init("kg/s", .massFlow, factor: 1),
        .init("kg/h", .massFlow, factor: 1.0 / 3600),
        .init("t/h", .massFlow, factor: 1000.0 / 3600),
        .init("t/d", .massFlow, factor: 1000.0 / 86400),
        .init("kg/m³", .massConcentration, factor: 1),
        .init("g/L", .massConcentration, factor: 1),
        .init("mg/L", .massConcentration, factor: 1e-3),
        .init("mol/m³", .molarConcentration, factor: 1),
        .init("mmol/L", .molarConcentration, factor: 1),
        .init("W", .power, factor: 1),
        .init("kW", .power, factor: 1e3),
        .init("MW", .power, factor: 1e6),
        .init("J", .energy, factor: 1),
        .init("Wh", .energy, factor: 3600),
        .init("kWh", .energy, factor: 3.6e6),
        .init("MWh", .energy, factor: 3.6e9),
        .init("GWh", .energy, factor: 3.6e12),
        .init("kg", .mass, factor: 1),
        .init("t", .mass, factor: 1000),
        .init("m³", .volume, factor: 1),
        .init("L", .volume, factor: 1e-3),
        .init("m", .length, factor: 1),
        .init("mm", .length, factor: 1e-3),
        .init("s", .time, factor: 1),
        .init("min", .time, factor: 60),
        .init("h", .time, factor: 3600),
        .init("Hz", .frequency, factor: 1),
        .init("rpm", .frequency, factor: 1.0 / 60),
        .init("A", .electricCurrent, factor: 1),
        .init("V", .voltage, factor: 1),
        .init("S/m", .conductivity, factor: 1),
        .init("mS/cm", .conductivity, factor: 0.1),
        .init("m/s", .speed, factor: 1),
    ]

    private static let table: [String: EngineeringUnit] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.symbol, $0) })
    private static let aliases: [String: String] = [
        "m3/h": "m³/h", "m3/s": "m³/s", "degC": "°C", "C": "°C", "l/s": "L/s", "kg/m3": "kg/m³",
        "mol/m3": "mol/m³", "g/l": "g/L", "mg/l": "mg/L", "m3": "m³", "percent": "%", "": "1",
        "ppm": "mg/L", "wh": "Wh", "kwh": "kWh", "mwh": "MWh",
    ]

    /// Symbols accepted for another unit whose reading a user should be told: brine analyses give "ppm" for mg/L
    /// (mass per volume), which differs from mg/kg by the brine's density (docs/sources.md §4.3).
    public static let readAs: [String: String] = [
        "ppm": "ppm read as mg/L (mass per volume, as brine analyses mean it; mg/kg differs by the density)"
    ]
}
