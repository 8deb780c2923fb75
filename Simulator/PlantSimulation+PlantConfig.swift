public import PlantConfig
import ProcessModel

extension SimulatedPlantParameters {
    /// The parameters of a plant description: its brine, production well and `process:` section; what the
    /// description does not say keeps the defaults.
    public init(plant: Plant) {
        self.init()
        if let li = plant.brine?.lithium { brineLi = li }
        if let tds = plant.brine?.tds { brineTDS = tds }
        if let density = plant.brine?.density { brineDensity = density }
        let producers = plant.wells.filter { $0.role == .production }
        if !producers.isEmpty {
            productionFlow = producers.reduce(0) { $0 + $1.flow } / 3.6      // m³/h → L/s
            wellheadTemperature = producers.map(\.temperature).max() ?? wellheadTemperature
        } else {
            wellheadTemperature = plant.brine?.temperature ?? wellheadTemperature
        }
        if let pressure = producers.compactMap(\.pressure).first { wellheadPressure = pressure }
        defer { sizeBeds() }
        guard let process = plant.process else { return }
        func number(_ path: String...) -> Double? {
            var node: ConfigNode? = process
            for key in path { node = node?[key] }
            return node?.string.flatMap(Double.init)
        }
        if let t = number("dle", "inlet_temperature_c") { dleInletTemperature = t }
        if let p = number("dle", "inlet_pressure_bar") { dleInletPressure = p }
        if let n = number("dle", "columns"), n >= 2, n <= 64 { columns = Int(n) }
        if let factor = number("concentration", "concentration_factor"), factor > 1 { roConcentrationFactor = factor }
        if let route = process["refining"]?["route"]?.string {
            // 1 t Li = 5.323 t Li2CO3 = 6.046 t LiOH·H2O (docs/sources.md §4.1).
            productPerLi = route.lowercased().contains("li2co3") ? 5.323 : 6.046
        }
        if let recovery = number("refining", "precipitation_recovery") ?? number("refining", "yield"), recovery > 0, recovery <= 1 {
            refiningYield = recovery
        }
    }
}

extension ColumnDynamics {
    /// The sorbent and bed of a plant description (its flowsheet parameters: capacity, Langmuir K, bulk
    /// density, porosity, column height, LDF rate).
    ///
    /// - Throws: the description's process-section errors.
    public init(plant: Plant) throws {
        let p = try plant.flowsheetParameters()
        self.init()
        capacity = p.dle.sorbent.capacity
        langmuirConstant = p.dle.sorbent.langmuirConstant
        bulkDensity = p.dle.sorbent.bulkDensity
        bedPorosity = p.dle.bedPorosity
        height = p.dle.columnHeight
        ldfRatePerHour = p.dle.sorbent.ldfRate
    }
}

extension SimulatedPlantParameters {
    /// Sizes the sorbent beds for the production flow, so that a column loads `designLoadBedVolumes` per
    /// cycle at nominal flow (the design point of the defaults: ≈ 94 % recovery on fresh sorbent).
    mutating func sizeBeds(designLoadBedVolumes: Double = 8.4) {
        let loadingColumns = Double(columns) * loadDuration / cycleDuration
        bedVolume = productionFlow * 3.6 * (loadDuration / 3600) / (loadingColumns * designLoadBedVolumes)
    }
}

extension SimulatedTag {
    /// A plant description's tag as the simulator serves it.
    public init(_ tag: Tag, device: String) {
        self.init(name: tag.name, device: device, table: tag.table, address: tag.address, dataType: tag.dataType,
                  wordOrder: tag.wordOrder, length: tag.length, scale: tag.scale, offset: tag.offset,
                  unit: tag.unit.symbol, range: tag.range, sentinel: tag.sentinel, signal: tag.signal)
    }
}

extension PlantSimulation {
    /// The simulation of a plant description.
    public init(plant: Plant, scenario: Scenario = .none, seed: UInt64 = 1, stepSize: Double = 1,
                parameters: SimulatedPlantParameters? = nil) throws {
        let tags = plant.devices.flatMap { device in device.tags.map { SimulatedTag($0, device: device.name) } }
        try self.init(tags: tags, parameters: parameters ?? SimulatedPlantParameters(plant: plant), scenario: scenario,
                      seed: seed, stepSize: stepSize)
    }
}
