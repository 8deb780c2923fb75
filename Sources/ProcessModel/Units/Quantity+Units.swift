// Unit-named constructors and accessors. Conversion factors are exact definitions (1 L = 1e-3 m³,
// 1 h = 3,600 s, 1 kWh = 3.6e6 J, 1 bar = 1e5 Pa, 0 °C = 273.15 K); each is tested.

extension Quantity where D == Dimensions.Volume {
    @inlinable public static func cubicMetres(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func litres(_ v: Double) -> Self { .init(si: v * 1e-3) }
    @inlinable public var cubicMetres: Double { si }
    @inlinable public var litres: Double { si * 1e3 }
}

extension Quantity where D == Dimensions.VolumeFlow {
    @inlinable public static func cubicMetresPerSecond(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func litresPerSecond(_ v: Double) -> Self { .init(si: v * 1e-3) }
    @inlinable public static func cubicMetresPerHour(_ v: Double) -> Self { .init(si: v / 3600) }
    @inlinable public var cubicMetresPerSecond: Double { si }
    @inlinable public var litresPerSecond: Double { si * 1e3 }
    @inlinable public var cubicMetresPerHour: Double { si * 3600 }
}

extension Quantity where D == Dimensions.MassConcentration {
    @inlinable public static func kilogramsPerCubicMetre(_ v: Double) -> Self { .init(si: v) }
    /// mg/L: 1 mg/L = 1e-6 kg / 1e-3 m³ = 1e-3 kg/m³.
    @inlinable public static func milligramsPerLitre(_ v: Double) -> Self { .init(si: v * 1e-3) }
    /// g/L = kg/m³.
    @inlinable public static func gramsPerLitre(_ v: Double) -> Self { .init(si: v) }
    @inlinable public var kilogramsPerCubicMetre: Double { si }
    @inlinable public var milligramsPerLitre: Double { si * 1e3 }
    @inlinable public var gramsPerLitre: Double { si }
}

extension Quantity where D == Dimensions.Mass {
    @inlinable public static func kilograms(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func tonnes(_ v: Double) -> Self { .init(si: v * 1e3) }
    @inlinable public var kilograms: Double { si }
    @inlinable public var tonnes: Double { si * 1e-3 }
}

extension Quantity where D == Dimensions.MassFlow {
    @inlinable public static func kilogramsPerSecond(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func kilogramsPerHour(_ v: Double) -> Self { .init(si: v / 3600) }
    @inlinable public static func tonnesPerDay(_ v: Double) -> Self { .init(si: v * 1e3 / 86_400) }
    @inlinable public var kilogramsPerSecond: Double { si }
    @inlinable public var kilogramsPerHour: Double { si * 3600 }
    @inlinable public var tonnesPerDay: Double { si * 86_400 * 1e-3 }
}

extension Quantity where D == Dimensions.Temperature {
    @inlinable public static func kelvin(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func celsius(_ v: Double) -> Self { .init(si: v + 273.15) }
    @inlinable public var kelvin: Double { si }
    @inlinable public var celsius: Double { si - 273.15 }
}

extension Quantity where D == Dimensions.Pressure {
    @inlinable public static func pascals(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func bar(_ v: Double) -> Self { .init(si: v * 1e5) }
    @inlinable public var pascals: Double { si }
    @inlinable public var bar: Double { si * 1e-5 }
}

extension Quantity where D == Dimensions.Energy {
    @inlinable public static func joules(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func kilowattHours(_ v: Double) -> Self { .init(si: v * 3.6e6) }
    @inlinable public static func megawattHours(_ v: Double) -> Self { .init(si: v * 3.6e9) }
    @inlinable public var joules: Double { si }
    @inlinable public var kilowattHours: Double { si / 3.6e6 }
    @inlinable public var megawattHours: Double { si / 3.6e9 }
}

extension Quantity where D == Dimensions.Power {
    @inlinable public static func watts(_ v: Double) -> Self { .init(si: v) }
    @inlinable public static func kilowatts(_ v: Double) -> Self { .init(si: v * 1e3) }
    @inlinable public static func megawatts(_ v: Double) -> Self { .init(si: v * 1e6) }
    @inlinable public var watts: Double { si }
    @inlinable public var kilowatts: Double { si * 1e-3 }
    @inlinable public var megawatts: Double { si * 1e-6 }
}

extension Quantity where D == Dimensions.SpecificEnergy {
    @inlinable public static func joulesPerKilogram(_ v: Double) -> Self { .init(si: v) }
    /// kWh per tonne: 3.6e6 J / 1e3 kg = 3,600 J/kg.
    @inlinable public static func kilowattHoursPerTonne(_ v: Double) -> Self { .init(si: v * 3600) }
    @inlinable public var joulesPerKilogram: Double { si }
    @inlinable public var kilowattHoursPerTonne: Double { si / 3600 }
}
