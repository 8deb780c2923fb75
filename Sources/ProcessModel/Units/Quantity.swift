/// A physical dimension, used as a phantom type so that quantities of different dimensions cannot be
/// added or compared by mistake.
///
/// Each dimension is an uninhabited enum in ``Dimensions`` and names its SI unit.
public protocol PhysicalDimension: Sendable {
    /// The SI unit every ``Quantity`` of this dimension is stored in, e.g. `"m³/s"`.
    static var siSymbol: String { get }
}

/// The dimensions the process model uses. Two quantities combine only where physics says they do:
/// `VolumeFlow × MassConcentration = MassFlow`, `MassFlow × Duration = Mass`, `Power × Duration = Energy`.
public enum Dimensions {
    public enum Volume: PhysicalDimension { public static var siSymbol: String { "m³" } }
    public enum VolumeFlow: PhysicalDimension { public static var siSymbol: String { "m³/s" } }
    /// Mass per volume: concentrations (mg/L) and densities (kg/m³) share it.
    public enum MassConcentration: PhysicalDimension { public static var siSymbol: String { "kg/m³" } }
    public enum Mass: PhysicalDimension { public static var siSymbol: String { "kg" } }
    public enum MassFlow: PhysicalDimension { public static var siSymbol: String { "kg/s" } }
    public enum Temperature: PhysicalDimension { public static var siSymbol: String { "K" } }
    public enum Pressure: PhysicalDimension { public static var siSymbol: String { "Pa" } }
    public enum Energy: PhysicalDimension { public static var siSymbol: String { "J" } }
    public enum Power: PhysicalDimension { public static var siSymbol: String { "W" } }
    /// Energy per mass (J/kg), e.g. kWh per tonne of product.
    public enum SpecificEnergy: PhysicalDimension { public static var siSymbol: String { "J/kg" } }
}

/// A scalar quantity of one dimension, stored in SI units.
///
/// Construct it with a unit-named factory and read it with a unit-named accessor; the stored value is
/// always SI, so no code path has to know which unit a number was entered in:
///
/// ```swift
/// let q = VolumeFlow.litresPerSecond(80)          // Insheim's production flow
/// let c = MassConcentration.milligramsPerLitre(168)
/// let li = q * c                                   // MassFlow
/// li.kilogramsPerHour                              // 48.384
/// ```
///
/// Adding a flow to a concentration does not compile: `+` exists only between quantities of the same
/// dimension.
@frozen
public struct Quantity<D: PhysicalDimension>: Sendable, Hashable, Comparable, AdditiveArithmetic {
    /// The value in the SI unit of `D` (``PhysicalDimension/siSymbol``).
    public var si: Double

    @inlinable public init(si: Double) { self.si = si }

    @inlinable public static var zero: Self { .init(si: 0) }
    @inlinable public static func + (a: Self, b: Self) -> Self { .init(si: a.si + b.si) }
    @inlinable public static func - (a: Self, b: Self) -> Self { .init(si: a.si - b.si) }
    @inlinable public static prefix func - (a: Self) -> Self { .init(si: -a.si) }
    @inlinable public static func * (a: Self, k: Double) -> Self { .init(si: a.si * k) }
    @inlinable public static func * (k: Double, a: Self) -> Self { .init(si: a.si * k) }
    @inlinable public static func / (a: Self, k: Double) -> Self { .init(si: a.si / k) }
    /// The ratio of two quantities of the same dimension, a plain number.
    @inlinable public static func / (a: Self, b: Self) -> Double { a.si / b.si }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.si < b.si }

    /// True when the value is finite and not negative: what a physical amount must be.
    @inlinable public var isPhysicalAmount: Bool { si.isFinite && si >= 0 }
}

extension Quantity: CustomStringConvertible {
    public var description: String { "\(si) \(D.siSymbol)" }
}

public typealias Volume = Quantity<Dimensions.Volume>
public typealias VolumeFlow = Quantity<Dimensions.VolumeFlow>
public typealias MassConcentration = Quantity<Dimensions.MassConcentration>
/// Density shares the dimension of mass concentration (kg/m³).
public typealias Density = Quantity<Dimensions.MassConcentration>
public typealias Mass = Quantity<Dimensions.Mass>
public typealias MassFlow = Quantity<Dimensions.MassFlow>
public typealias Temperature = Quantity<Dimensions.Temperature>
public typealias Pressure = Quantity<Dimensions.Pressure>
public typealias Energy = Quantity<Dimensions.Energy>
public typealias Power = Quantity<Dimensions.Power>
public typealias SpecificEnergy = Quantity<Dimensions.SpecificEnergy>

// MARK: Products and quotients that physics allows

@inlinable public func * (q: VolumeFlow, c: MassConcentration) -> MassFlow { .init(si: q.si * c.si) }
@inlinable public func * (c: MassConcentration, q: VolumeFlow) -> MassFlow { .init(si: q.si * c.si) }
@inlinable public func * (v: Volume, c: MassConcentration) -> Mass { .init(si: v.si * c.si) }
@inlinable public func / (m: MassFlow, q: VolumeFlow) -> MassConcentration { .init(si: m.si / q.si) }
@inlinable public func / (m: Mass, v: Volume) -> MassConcentration { .init(si: m.si / v.si) }
@inlinable public func * (m: MassFlow, t: Duration) -> Mass { .init(si: m.si * t.modelSeconds) }
@inlinable public func * (q: VolumeFlow, t: Duration) -> Volume { .init(si: q.si * t.modelSeconds) }
@inlinable public func * (p: Power, t: Duration) -> Energy { .init(si: p.si * t.modelSeconds) }
@inlinable public func / (e: Energy, m: Mass) -> SpecificEnergy { .init(si: e.si / m.si) }
@inlinable public func / (p: Power, m: MassFlow) -> SpecificEnergy { .init(si: p.si / m.si) }

extension Duration {
    /// The duration in seconds as a `Double` (attosecond resolution is not needed by the model). Internal:
    /// the Simulator and Monitor modules declare their own `seconds`.
    @usableFromInline var modelSeconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }

}
