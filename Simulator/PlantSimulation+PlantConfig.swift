public import PlantConfig
import ProcessModel

extension SimulatedPlantDesign {
    /// The simulated plant of a plant description: its one parameter set
    /// (``PlantConfig/Plant/flowsheetParameters(overrides:)``, as `geolith estimate` takes it) with `overrides`.
    ///
    /// - Throws: ``PlantConfigError`` for the description's process errors, ``ProcessParameterError`` for a bad
    ///   override, ``FlowsheetError`` or ``ColumnError`` when the plant cannot be solved.
    ///
    /// A monitoring-only description (no `brine:`) has no process to simulate: its tags are served from a plant of
    /// the default parameters with a North Alsace brine (Li 180 mg/L, TDS 100 g/L, 165 °C at 28 L/s; docs/sources.md
    /// §1.1), with `overrides`.
    public init(plant: Plant, overrides: [(key: String, value: String)] = [], columnResolved: Bool = false) throws {
        guard plant.isMonitoringOnly else {
            try self.init(parameters: try plant.flowsheetParameters(overrides: overrides), columnResolved: columnResolved)
            return
        }
        var parameters = FlowsheetParameters(
            brine: Brine(lithium: .milligramsPerLitre(180), totalDissolvedSolids: .gramsPerLitre(100),
                         temperature: .celsius(165)),
            productionFlow: .litresPerSecond(28))
        try ProcessParameterCatalogue.apply(overrides, to: &parameters)
        try self.init(parameters: parameters, columnResolved: columnResolved)
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
                design: SimulatedPlantDesign? = nil) throws {
        let tags = plant.devices.flatMap { device in device.tags.map { SimulatedTag($0, device: device.name) } }
        try self.init(tags: tags, design: design ?? SimulatedPlantDesign(plant: plant), scenario: scenario,
                      seed: seed, stepSize: stepSize)
    }
}
