/// Standard atomic weights, g/mol, as used by docs/sources.md §4.1 (Li 6.94, C 12.011, O 15.999, H 1.008,
/// Cl 35.45, Na 22.990). Calcium 40.078 is the IUPAC standard atomic weight (docs/sources.md §4.1).
public enum AtomicWeight {
    public static let lithium = 6.94
    public static let carbon = 12.011
    public static let oxygen = 15.999
    public static let hydrogen = 1.008
    public static let chlorine = 35.45
    public static let sodium = 22.990
    public static let calcium = 40.078
}

/// A lithium compound that lithium production is reported in. Published figures mix Li, LCE (Li2CO3),
/// LHM (LiOH·H2O) and LiCl (docs/sources.md: "Keep Li, LCE, LHM and LiCl as distinct units"), so each is a
/// separate type and ``LithiumMass`` of one cannot be added to another.
public protocol LithiumCompound: Sendable {
    /// Chemical formula, e.g. `"Li2CO3"`.
    static var formula: String { get }
    /// The short name used in reports: `Li`, `LCE`, `LHM`, `LiCl`.
    static var symbol: String { get }
    /// Molar mass in g/mol.
    static var molarMass: Double { get }
    /// Lithium atoms per formula unit.
    static var lithiumAtoms: Double { get }
}

extension LithiumCompound {
    /// Tonnes of this compound per tonne of lithium it contains: `M / (n_Li · M_Li)`.
    /// 1 t Li = 5.323 t LCE = 6.046 t LHM = 6.108 t LiCl (docs/sources.md §4.1 [C]).
    @inlinable public static var massPerLithium: Double { molarMass / (lithiumAtoms * AtomicWeight.lithium) }
}

/// Elemental lithium, the basis of every balance.
public enum Lithium: LithiumCompound {
    public static var formula: String { "Li" }
    public static var symbol: String { "Li" }
    public static var molarMass: Double { AtomicWeight.lithium }
    public static var lithiumAtoms: Double { 1 }
}

/// Lithium carbonate, Li2CO3: "lithium carbonate equivalent" (LCE). M = 73.888 g/mol (docs/sources.md §4.1).
public enum LithiumCarbonate: LithiumCompound {
    public static var formula: String { "Li2CO3" }
    public static var symbol: String { "LCE" }
    public static var molarMass: Double {
        2 * AtomicWeight.lithium + AtomicWeight.carbon + 3 * AtomicWeight.oxygen
    }
    public static var lithiumAtoms: Double { 2 }
}

/// Lithium hydroxide monohydrate, LiOH·H2O (LHM). M = 41.962 g/mol (docs/sources.md §4.1).
public enum LithiumHydroxideMonohydrate: LithiumCompound {
    public static var formula: String { "LiOH·H2O" }
    public static var symbol: String { "LHM" }
    public static var molarMass: Double {
        AtomicWeight.lithium + 2 * AtomicWeight.oxygen + 3 * AtomicWeight.hydrogen
    }
    public static var lithiumAtoms: Double { 1 }
}

/// Lithium chloride, LiCl. M = 42.390 g/mol (docs/sources.md §4.1).
public enum LithiumChloride: LithiumCompound {
    public static var formula: String { "LiCl" }
    public static var symbol: String { "LiCl" }
    public static var molarMass: Double { AtomicWeight.lithium + AtomicWeight.chlorine }
    public static var lithiumAtoms: Double { 1 }
}

public typealias LCE = LithiumCarbonate
public typealias LHM = LithiumHydroxideMonohydrate

/// A mass of one lithium compound, stored in kilograms of that compound.
///
/// ```swift
/// let li = LithiumMass<Lithium>.tonnes(1)
/// li.converted(to: LCE.self).tonnes     // 5.323
/// ```
@frozen
public struct LithiumMass<C: LithiumCompound>: Sendable, Hashable, Comparable, AdditiveArithmetic {
    /// Kilograms of the compound `C`.
    public var kilograms: Double

    @inlinable public init(kilograms: Double) { self.kilograms = kilograms }
    @inlinable public static func kilograms(_ v: Double) -> Self { .init(kilograms: v) }
    @inlinable public static func tonnes(_ v: Double) -> Self { .init(kilograms: v * 1e3) }
    @inlinable public var tonnes: Double { kilograms * 1e-3 }

    /// The same lithium expressed as compound `T`.
    @inlinable public func converted<T: LithiumCompound>(to _: T.Type) -> LithiumMass<T> {
        .init(kilograms: kilograms / C.massPerLithium * T.massPerLithium)
    }

    /// The lithium it contains.
    @inlinable public var lithium: LithiumMass<Lithium> { converted(to: Lithium.self) }

    @inlinable public static var zero: Self { .init(kilograms: 0) }
    @inlinable public static func + (a: Self, b: Self) -> Self { .init(kilograms: a.kilograms + b.kilograms) }
    @inlinable public static func - (a: Self, b: Self) -> Self { .init(kilograms: a.kilograms - b.kilograms) }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.kilograms < b.kilograms }
}

/// A mass flow of one lithium compound, stored in kg/s of that compound.
@frozen
public struct LithiumMassFlow<C: LithiumCompound>: Sendable, Hashable, Comparable, AdditiveArithmetic {
    public var kilogramsPerSecond: Double

    @inlinable public init(kilogramsPerSecond: Double) { self.kilogramsPerSecond = kilogramsPerSecond }
    /// The lithium (as `C`) carried by a plain mass flow of lithium element.
    @inlinable public init(lithium: MassFlow) {
        kilogramsPerSecond = lithium.si * C.massPerLithium
    }
    @inlinable public static func tonnesPerDay(_ v: Double) -> Self { .init(kilogramsPerSecond: v * 1e3 / 86_400) }
    @inlinable public var tonnesPerDay: Double { kilogramsPerSecond * 86.4 }
    @inlinable public var kilogramsPerHour: Double { kilogramsPerSecond * 3600 }

    /// Mass produced in `hours` of operation (e.g. a year's availability).
    @inlinable public func mass(overHours hours: Double) -> LithiumMass<C> {
        .init(kilograms: kilogramsPerSecond * hours * 3600)
    }

    @inlinable public func converted<T: LithiumCompound>(to _: T.Type) -> LithiumMassFlow<T> {
        .init(kilogramsPerSecond: kilogramsPerSecond / C.massPerLithium * T.massPerLithium)
    }

    @inlinable public static var zero: Self { .init(kilogramsPerSecond: 0) }
    @inlinable public static func + (a: Self, b: Self) -> Self {
        .init(kilogramsPerSecond: a.kilogramsPerSecond + b.kilogramsPerSecond)
    }
    @inlinable public static func - (a: Self, b: Self) -> Self {
        .init(kilogramsPerSecond: a.kilogramsPerSecond - b.kilogramsPerSecond)
    }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.kilogramsPerSecond < b.kilogramsPerSecond }
}
