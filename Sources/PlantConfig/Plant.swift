/// A geothermal lithium plant as described by one file in `PlantConfigs/`.
///
/// Built by ``PlantLoader``, which validates everything before returning; a `Plant` that exists has
/// unique tag and device names, non-overlapping registers and known units and signals.
///
/// Only `id`, `name` and `devices` are required: a description without `site`, `brine`, `wells` and `process`
/// is for monitoring only (``isMonitoringOnly``); the monitor polls, alarms and stores its tags, and the process
/// model, the simulator and the soft sensors that need those sections are off.
public struct Plant: Sendable, Hashable {
    /// Short identifier, e.g. `soultz`.
    public var id: String
    public var name: String
    /// Where the plant is; `nil` in a monitoring-only description.
    public var site: Site?
    /// The produced brine; `nil` in a monitoring-only description (the process model needs it).
    public var brine: BrineSpec?
    /// Production and reinjection wells; empty when not described.
    public var wells: [Well]
    /// The free-form `process:` section, decoded later by the process model with ``ConfigNode/decode(_:)``.
    public var process: ConfigNode?
    public var devices: [Device]
    /// Where the description was read from.
    public var source: SourceLocation

    public init(
        id: String, name: String, site: Site?, brine: BrineSpec?, wells: [Well], process: ConfigNode?,
        devices: [Device], source: SourceLocation, notes: [String] = []
    ) {
        self.id = id
        self.name = name
        self.site = site
        self.brine = brine
        self.wells = wells
        self.process = process
        self.devices = devices
        self.source = source
        self.notes = notes
    }

    /// Things a reader of the description should know that are not problems, e.g. a unit read as another
    /// (`ppm` as mg/L); `check-config` prints them.
    public var notes: [String]

    /// Whether the description has no brine: the monitor runs, the process model does not.
    public var isMonitoringOnly: Bool { brine == nil }

    /// The sections of the process model this description lacks, in file order (empty when it has them all).
    public var missingProcessSections: [String] {
        [("site", site == nil), ("brine", brine == nil), ("wells", wells.isEmpty), ("process", process == nil)]
            .filter(\.1).map(\.0)
    }

    /// Every tag of every device, in file order.
    public var allTags: [Tag] { devices.flatMap(\.tags) }

    /// The tag with this name, if any (names are unique plant-wide).
    public func tag(named name: String) -> Tag? { allTags.first { $0.name == name } }

    /// The tags bound to a signal, keyed by signal name.
    public var tagsBySignal: [String: [Tag]] {
        var bySignal: [String: [Tag]] = [:]
        for tag in allTags {
            if let signal = tag.signal { bySignal[signal, default: []].append(tag) }
        }
        return bySignal
    }
}

/// Where a plant is.
public struct Site: Sendable, Hashable {
    public var name: String
    /// ISO 3166 alpha-2 code or country name, as written.
    public var country: String
    public var coordinates: Coordinates?

    public init(name: String, country: String, coordinates: Coordinates? = nil) {
        self.name = name
        self.country = country
        self.coordinates = coordinates
    }
}

/// WGS84 latitude and longitude in degrees.
public struct Coordinates: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// The produced brine: temperature, salinity and composition, with the sources of the figures.
public struct BrineSpec: Sendable, Hashable {
    /// Production temperature in °C.
    public var temperature: Double
    /// Total dissolved solids in g/L.
    public var tds: Double
    /// Density in kg/m³, when known.
    public var density: Double?
    /// Concentrations in mg/L by species (`Li`, `Na`, `K`, `Ca`, `Mg`, `Cl`, `Sr`, `SiO2`, …).
    public var composition: [String: Double]
    /// Where the figures come from (see docs/sources.md).
    public var sources: [String]

    public init(
        temperature: Double, tds: Double, density: Double? = nil, composition: [String: Double],
        sources: [String]
    ) {
        self.temperature = temperature
        self.tds = tds
        self.density = density
        self.composition = composition
        self.sources = sources
    }

    /// Lithium in mg/L, when given.
    public var lithium: Double? { composition["Li"] }
}

/// A production or reinjection well.
public struct Well: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case production, reinjection
    }

    public var name: String
    public var role: Role
    /// Design flow in m³/h.
    public var flow: Double
    /// Wellhead temperature in °C.
    public var temperature: Double
    /// Wellhead pressure in bar, when known.
    public var pressure: Double?

    public init(name: String, role: Role, flow: Double, temperature: Double, pressure: Double? = nil) {
        self.name = name
        self.role = role
        self.flow = flow
        self.temperature = temperature
        self.pressure = pressure
    }
}

/// A position in a plant description file. Lines and columns count from 1.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
