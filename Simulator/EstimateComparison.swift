import ProcessModel

/// The simulated plant's means against `geolith estimate` of the same parameters: the check that the simulator
/// and the estimate compute one plant.
///
/// The plant starts at its nominal point and runs one DLE cycle of start-up; the means are then taken over the
/// whole cycles that make up (at least) `days` simulated days, because the estimate is a cycle average and the
/// train's pulses (washes, elutions) would otherwise bias a window that ends part-way through one. Rates are on
/// the estimate's boundaries: the lithium plant's electricity without the production pump, fresh water for the
/// washes, the eluent make-up and the refinery.
public struct EstimateComparison: Sendable {
    /// One KPI: the estimate's value, the simulator's mean, and their relative difference.
    public struct Row: Sendable, Hashable {
        public var key: String
        public var label: String
        public var unit: String
        public var estimate: Double
        public var simulated: Double
        /// (simulated − estimate) / estimate; 0 when both are 0.
        public var difference: Double {
            estimate != 0 ? (simulated - estimate) / abs(estimate) : (simulated == 0 ? 0 : .infinity)
        }
    }

    public var rows: [Row]
    /// Simulated hours the means cover, and the cycles in them.
    public var hours: Double
    public var cycles: Int
    /// Lowest and highest level of each tank over the window, % (buffer tank, product silo, spent-wash tank).
    public var bufferLevel: ClosedRange<Double>
    public var siloLevel: ClosedRange<Double>
    public var spentWashLevel: ClosedRange<Double>
    /// Li balance closure of the whole run.
    public var lithiumBalanceError: Double

    /// Runs `design` and compares its means with its nominal steady state.
    ///
    /// - Parameters:
    ///   - days: simulated days the means cover at least (whole cycles).
    ///   - step: simulated seconds per step.
    public init(_ design: SimulatedPlantDesign, days: Double = 2, step: Double = 1) {
        var plant = PlantDynamics(design: design)
        let cycle = design.cycle.cycleSeconds
        let cycles = max(1, Int((days * 86_400 / cycle).rounded(.up)))
        let startUp = Int((cycle / step).rounded())
        for _ in 0..<startUp { plant.step(step) }
        let start = plant.accounts
        var buffer = (low: Double.infinity, high: -Double.infinity), silo = buffer, wash = buffer
        for _ in 0..<Int((Double(cycles) * cycle / step).rounded()) {
            plant.step(step)
            let b = plant[.refineryTankLevel], s = plant[.productTankLevel]
            let w = 100 * plant.spentWash / max(design.spentWashTankVolume, 1e-12)
            buffer = (min(buffer.low, b), max(buffer.high, b))
            silo = (min(silo.low, s), max(silo.high, s))
            wash = (min(wash.low, w), max(wash.high, w))
        }
        let means = plant.accounts.means(since: start)
        let e = design.nominal
        var rows: [Row] = [
            Row(
                key: "product_rate", label: "product rate", unit: "kg/h", estimate: e.productFlow.kilogramsPerHour,
                simulated: means.productRate),
            Row(
                key: "recovery_dle", label: "Li recovery, DLE", unit: "%", estimate: 100 * e.dleRecovery,
                simulated: 100 * means.dleRecovery),
            Row(
                key: "recovery_concentration", label: "Li recovery, concentration", unit: "%",
                estimate: 100 * e.concentrationRecovery, simulated: 100 * means.concentrationRecovery),
            Row(
                key: "recovery_refining", label: "Li recovery, refining", unit: "%", estimate: 100 * e.refiningRecovery,
                simulated: 100 * means.refiningRecovery),
            Row(
                key: "fresh_water", label: "fresh water", unit: "m³/h", estimate: e.freshWater.cubicMetresPerHour,
                simulated: means.freshWater),
            Row(
                key: "electricity", label: "electricity (Li plant, without the production pump)", unit: "kW",
                estimate: e.electricPower.kilowatts, simulated: means.electricity),
        ]
        if let nameplate = design.parameters.refining.nameplate, let u = e.refiningUtilisation {
            rows.append(
                Row(
                    key: "refining_utilisation", label: "refinery utilisation", unit: "%", estimate: 100 * u,
                    simulated: 100 * means.productRate * 24 / 1000 / nameplate))
        }
        self.rows = rows
        hours = means.hours
        self.cycles = cycles
        bufferLevel = buffer.low...buffer.high
        siloLevel = silo.low...silo.high
        spentWashLevel = wash.low...wash.high
        lithiumBalanceError = plant.lithiumBalanceError
    }

    /// The largest |relative difference| of the rows.
    public var largestDifference: Double { rows.map { abs($0.difference) }.max() ?? 0 }
}
