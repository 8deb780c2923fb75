import Foundation
import ProcessModel

/// Process upsets that a scenario imposes on the plant; the neutral value of each field means "none".
public struct ProcessDisturbances: Sendable, Hashable {
    /// The production pump is tripped (stops, coasts down) while true.
    public var pumpTripped = false
    /// Multiplies the reservoir's Li concentration (a step in brine Li).
    public var brineLiFactor = 1.0
    /// Added to the wellhead temperature, K.
    public var brineTemperatureDelta = 0.0
    /// Multiplies the sorbent's capacity (fouling).
    public var foulingFactor = 1.0
    /// Extra capacity fade per cycle while active.
    public var extraFadePerCycle = 0.0
    /// Column pressure drop rising by scaling, bar per hour while active; what accumulates stays.
    public var scalingRate = 0.0
    /// Fraction of the eluent water available (an eluent water shortage is < 1).
    public var eluentAvailability = 1.0
    /// The refinery is tripped while true.
    public var refineryTripped = false

    public init() {}
}

/// The simulated plant: a reduced dynamic model of a geothermal DLE plant, stepped in simulated time.
///
/// Lumped and cycle-resolved: the pump, temperatures and pressures follow first-order lags; each DLE column
/// runs its own load / wash / elute cycle, staggered so that one column regenerates while the others load,
/// with a breakthrough curve (logistic in the bed volumes loaded relative to the bed's capacity) for its
/// outlet; loaded Li is eluted, concentrated by RO and refined from a buffer tank. Li and water are
/// conserved: `lithiumBalance` closes exactly (in = reinjected + in sorbent + in eluate path + product + losses).
///
/// A step costs a few hundred floating-point operations and allocates nothing.
public struct PlantDynamics: Sendable {
    public let parameters: SimulatedPlantParameters
    /// Signal values by slot (`PlantSignal`), in catalogue units (L/s, °C, bar, mg/L, m³/h, kg/h, kW, kWh, %).
    public private(set) var values: [Double]
    /// Simulated seconds since the start.
    public private(set) var time: Double = 0
    public var disturbances = ProcessDisturbances()

    // State
    private var speedFraction: Double
    private var wellheadTemperature: Double
    private var columnClock: [Double]        // seconds into each column's cycle
    private var columnLoadedBV: [Double]     // bed volumes of brine through the column this load phase
    private var columnLi: [Double]           // kg Li held by each column's sorbent
    private var elutionBase: [Double]        // kg Li held when elution started, −1 outside elution
    private var capacity = 1.0               // relative to fresh sorbent
    private var scalingDP = 0.0              // bar added by scaling
    private var refineryTank: Double         // m³ of concentrate
    private var refineryTankLi: Double       // kg Li in the tank
    private var productSilo = 0.0            // kg of product
    private var energy = 0.0                 // kWh
    private var columnModels: [ColumnSimulator]?  // one per column when `parameters.columnModel` is set
    /// Column-model steps that failed (the column kept its state for that step); 0 in a healthy run.
    public private(set) var columnModelFailures = 0

    /// Cumulative Li accounts, kg: what came in with the brine and where it went.
    public private(set) var lithiumIn = 0.0
    public private(set) var lithiumReinjected = 0.0
    public private(set) var lithiumToProduct = 0.0
    public private(set) var lithiumLost = 0.0
    /// Li held inside the plant (sorbent and refinery tank), kg.
    public var lithiumHeld: Double { columnLi.reduce(0, +) + refineryTankLi }
    /// Relative closure of the Li balance: |in − out − held| / in.
    public var lithiumBalanceError: Double {
        lithiumIn > 0 ? abs(lithiumIn - lithiumReinjected - lithiumToProduct - lithiumLost - lithiumHeld) / lithiumIn : 0
    }

    /// Starts the plant at its nominal operating point, the pump running and columns staggered.
    public init(parameters: SimulatedPlantParameters = .init()) {
        precondition(parameters.columns >= 2, "a DLE train needs at least two columns")
        self.parameters = parameters
        values = [Double](repeating: 0, count: PlantSignal.names(columns: parameters.columns).count)
        speedFraction = 1
        wellheadTemperature = parameters.wellheadTemperature
        let n = parameters.columns
        columnClock = (0..<n).map { Double($0) * parameters.cycleDuration / Double(n) }
        columnLoadedBV = [Double](repeating: 0, count: n)
        columnLi = [Double](repeating: 0, count: n)
        elutionBase = [Double](repeating: -1, count: n)
        refineryTank = 0.5 * parameters.refineryTankVolume
        refineryTankLi = refineryTank * parameters.brineLi * parameters.roConcentrationFactor * 0.9 * 1e-3
        // Columns part-way through their cycle start holding the Li they would hold at the nominal point;
        // what the plant holds at the start counts as Li in, so the balance closes from the first step.
        let liPerBedVolume = parameters.bedVolume * parameters.brineLi * (1 - parameters.leakage) * 1e-3
        for column in 0..<n {
            if columnClock[column] < parameters.loadDuration {
                columnLoadedBV[column] = columnClock[column] / parameters.loadDuration * nominalLoadBedVolumes
                columnLi[column] = columnLoadedBV[column] * liPerBedVolume
            } else {
                columnLi[column] = nominalLoadBedVolumes * liPerBedVolume
            }
        }
        if let settings = parameters.columnModel {
            // Columns resolved by the column model start empty; the plant fills them.
            columnModels = (0..<n).map { _ in
                ColumnSimulator(model: Self.columnModel(settings, bedVolume: parameters.bedVolume),
                                tolerances: ColumnTolerances(relative: 1e-4, absolute: 1e-6),
                                concentrationScale: max(parameters.brineLi / AtomicWeight.lithium, 1e-9))
            }
            columnLi = [Double](repeating: 0, count: n)
            columnLoadedBV = [Double](repeating: 0, count: n)
        }
        lithiumIn = columnLi.reduce(0, +) + refineryTankLi
        step(0)
    }

    private var nominalLoadBedVolumes: Double {
        let p = parameters
        let loading = Double(p.columns) * p.loadDuration / p.cycleDuration
        return p.productionFlow * 3.6 / loading * (p.loadDuration / 3600) / p.bedVolume
    }

    public subscript(_ signal: PlantSignal) -> Double { values[signal.rawValue] }
    public subscript(_ signal: PlantSignal.Column, column column: Int) -> Double {
        values[PlantSignal.slot(signal, column: column)]
    }

    /// Phase of column `index` (0-based) at a time into its cycle.
    private func phase(_ clock: Double) -> ColumnPhase {
        let p = parameters
        if clock < p.loadDuration { return .load }
        if clock < p.loadDuration + p.washDuration { return .wash }
        return .elute
    }

    /// Advances the plant by `dt` simulated seconds (0 recomputes the outputs only).
    public mutating func step(_ dt: Double) {
        let p = parameters
        let d = disturbances
        let hours = dt / 3600
        time += dt

        // Production pump and well.
        let targetSpeed = d.pumpTripped ? 0.0 : 1.0
        speedFraction += (targetSpeed - speedFraction) * lag(dt, p.pumpRampTime)
        if speedFraction < 1e-4 && d.pumpTripped { speedFraction = 0 }
        let flow = p.productionFlow * speedFraction                         // L/s
        let flowM3h = flow * 3.6
        let hotTarget = p.wellheadTemperature + d.brineTemperatureDelta
        let wellTarget = p.shutInTemperature + (hotTarget - p.shutInTemperature) * min(1, speedFraction * 1.25)
        wellheadTemperature += (wellTarget - wellheadTemperature) * lag(dt, speedFraction > 0.1 ? 300 : 3600)
        let brineLi = p.brineLi * d.brineLiFactor                          // mg/L = g/m³
        set(.productionFlow, flow)
        set(.productionTemperature, wellheadTemperature)
        set(.productionPressure, p.shutInPressure + (p.wellheadPressure - p.shutInPressure) * speedFraction)
        set(.pumpRunning, d.pumpTripped || speedFraction < 0.05 ? 0 : 1)
        set(.pumpSpeed, p.pumpFrequency * speedFraction)
        set(.pumpPower, p.pumpPower * speedFraction * speedFraction * speedFraction)
        set(.brineLi, brineLi)
        set(.brineTDS, p.brineTDS)
        set(.brinePH, p.brinePH)

        // Heat exchange to the DLE inlet temperature.
        let dleTemperature = min(wellheadTemperature, p.dleInletTemperature)
        set(.hxOutletTemperature, dleTemperature)
        let duty = flow * 1e-3 * p.brineDensity * p.brineHeatCapacity * (wellheadTemperature - dleTemperature) / 1000
        set(.hxDuty, max(0, duty))
        set(.dleInletFlow, flow)
        set(.dleInletTemperature, dleTemperature)
        set(.dleInletPressure, speedFraction > 0.05 ? p.dleInletPressure * min(1, speedFraction * 1.1) : 1)

        // DLE columns. Capacity depends on temperature (LDH's window is 60–80 °C, docs/sources.md §5.1: a
        // design slope of 0.5 %/K away from 70 °C) and on fade and fouling.
        let n = p.columns
        let loadingCount = (0..<n).reduce(0) { $0 + (phase(columnClock[$1]) == .load ? 1 : 0) }
        let perColumnM3h = loadingCount > 0 ? flowM3h / Double(loadingCount) : 0
        let temperatureFactor = max(0.2, 1 - 0.005 * abs(dleTemperature - 70))
        let effectiveCapacity = capacity * d.foulingFactor * temperatureFactor
        let breakthroughBV = p.breakthroughBedVolumes * effectiveCapacity
        var outletLiFlow = 0.0   // g/h leaving loading columns
        var washM3h = 0.0, eluateM3h = 0.0, eluateLiKgH = 0.0
        scalingDP += d.scalingRate * hours
        for column in 0..<n {
            let clock = columnClock[column]
            let current = phase(clock)
            let slotPhase = PlantSignal.slot(.phase, column: column + 1)
            let slotDP = PlantSignal.slot(.dp, column: column + 1)
            let slotOutlet = PlantSignal.slot(.outletLi, column: column + 1)
            values[slotPhase] = Double(current.rawValue)
            if columnModels != nil {
                let flows = (load: perColumnM3h, wash: p.washBedVolumes * p.bedVolume / (p.washDuration / 3600),
                             elute: p.eluteBedVolumes * p.bedVolume / (p.eluteDuration / 3600) * d.eluentAvailability)
                let (outlet, m3h, kg) = stepColumn(column, phase: current, flows: flows, brineLi: brineLi, dt: dt)
                values[slotOutlet] = outlet
                values[slotDP] = (p.columnPressureDrop * m3h / max(nominalPerColumn, 1e-9)) + scalingDP
                switch current {
                case .load, .idle:
                    outletLiFlow += outlet * m3h
                case .wash:
                    // The spent wash returns to the feed in a real plant; here it joins the reinjected account.
                    washM3h += m3h
                    lithiumReinjected += kg
                case .elute:
                    if dt > 0 { eluateLiKgH += kg / hours }
                    eluateM3h += m3h
                }
            } else {
            switch current {
            case .load, .idle:
                let loaded = columnLoadedBV[column] / max(breakthroughBV, 1e-9)
                let front = 1 / (1 + exp(-(loaded - 1) / p.breakthroughWidth))
                let ratio = p.leakage + (1 - p.leakage) * front
                let outlet = brineLi * ratio
                values[slotOutlet] = outlet
                values[slotDP] = (p.columnPressureDrop * perColumnM3h / max(nominalPerColumn, 1e-9)) + scalingDP
                outletLiFlow += outlet * perColumnM3h
                let capturedKg = (brineLi - outlet) * perColumnM3h * hours * 1e-3
                columnLi[column] += capturedKg
                columnLoadedBV[column] += perColumnM3h * hours / p.bedVolume
            case .wash:
                washM3h += p.washBedVolumes * p.bedVolume / (p.washDuration / 3600)
                values[slotOutlet] = brineLi * p.leakage
                values[slotDP] = 0.5 * p.columnPressureDrop + scalingDP
            case .elute:
                let eluentM3h = p.eluteBedVolumes * p.bedVolume / (p.eluteDuration / 3600) * d.eluentAvailability
                if elutionBase[column] < 0 { elutionBase[column] = columnLi[column] }
                // Elution removes `elutionEfficiency` of what the bed held, evenly over the phase; less
                // eluent removes proportionally less.
                let fraction = dt / p.eluteDuration
                let elutedKg = min(columnLi[column],
                                   elutionBase[column] * p.elutionEfficiency * d.eluentAvailability * fraction)
                columnLi[column] -= elutedKg
                if dt > 0 { eluateLiKgH += elutedKg / hours }
                eluateM3h += eluentM3h
                values[slotOutlet] = eluentM3h > 0 && dt > 0 ? elutedKg / hours / eluentM3h * 1000 : 0
                values[slotDP] = 0.5 * p.columnPressureDrop * d.eluentAvailability + scalingDP
            }
            }
            // Advance the column's clock; a new cycle starts with an empty load count and a little fade.
            var next = clock + dt
            if next >= p.cycleDuration {
                next -= p.cycleDuration
                columnLoadedBV[column] = 0
                elutionBase[column] = -1
                capacity *= 1 - (p.capacityFadePerCycle + d.extraFadePerCycle) / Double(n)
            }
            columnClock[column] = next
        }
        let dleOutlet = flowM3h > 0 ? outletLiFlow / flowM3h : brineLi
        set(.dleOutletLi, dleOutlet)
        set(.sorbentCapacity, capacity * d.foulingFactor)
        set(.washFlow, washM3h)
        set(.eluateFlow, eluateM3h)
        set(.eluateLi, eluateM3h > 0 ? eluateLiKgH / eluateM3h * 1000 : 0)

        // Reverse osmosis: permeate returns as eluent; what the membrane passes is lost to the permeate loop.
        let concentrateM3h = eluateM3h / p.roConcentrationFactor
        let permeateM3h = eluateM3h - concentrateM3h
        let concentrateLiKgH = eluateLiKgH * p.roLiRejection
        set(.roFeedFlow, eluateM3h)
        set(.roPermeateFlow, permeateM3h)
        set(.roConcentrateLi, concentrateM3h > 0 ? concentrateLiKgH / concentrateM3h : 0)   // kg/m³ = g/L
        // Between elutions the RO unit idles on recirculation at a third of its operating pressure.
        set(.roPressure, eluateM3h > 0 ? p.roPressure : p.roPressure / 3)

        // Refinery buffer tank and refinery.
        refineryTank += concentrateM3h * hours
        refineryTankLi += concentrateLiKgH * hours
        let running = !d.refineryTripped && refineryTank > 0.05 * p.refineryTankVolume
        var feedM3h = running ? min(p.refineryFeedCapacity, refineryTank / max(hours, 1e-12)) : 0
        if refineryTank > p.refineryTankVolume && !d.refineryTripped { feedM3h = p.refineryFeedCapacity }
        let feedM3 = min(refineryTank, feedM3h * hours)
        let tankConcentration = refineryTank > 0 ? refineryTankLi / refineryTank : 0
        let feedLiKg = feedM3 * tankConcentration
        refineryTank -= feedM3
        refineryTankLi -= feedLiKg
        let productLiKg = feedLiKg * p.refiningYield
        let productKgH = dt > 0 ? productLiKg * p.productPerLi / hours : 0
        productSilo += productLiKg * p.productPerLi
        if productSilo > 0.9 * p.productSiloCapacity { productSilo = 0.1 * p.productSiloCapacity } // truck dispatch
        set(.refineryFeedFlow, dt > 0 ? feedM3 / hours : 0)
        set(.refineryTankLevel, 100 * refineryTank / p.refineryTankVolume)
        set(.refineryRunning, running ? 1 : 0)
        set(.productRate, productKgH)
        set(.productTankLevel, 100 * productSilo / p.productSiloCapacity)

        // Reinjection and utilities.
        set(.reinjectionFlow, flow)
        set(.reinjectionTemperature, max(20, dleTemperature - p.reinjectionTemperatureDrop))
        set(.reinjectionPressure, speedFraction > 0.05 ? p.reinjectionPressure * speedFraction : 2)
        let eluentMakeup = max(0, eluateM3h - permeateM3h)
        set(.freshwaterFlow, eluentMakeup + p.processWaterPerEluate * eluateM3h)
        let power = p.pumpPower * speedFraction * speedFraction * speedFraction + p.baseLoad
            + p.roEnergyPerM3 * eluateM3h + p.refiningEnergyPerKg * productKgH
        set(.powerTotal, power)
        energy += power * hours
        set(.energyTotal, energy)

        // Li accounts.
        lithiumIn += brineLi * flowM3h * hours * 1e-3
        lithiumReinjected += outletLiFlow * hours * 1e-3
        lithiumLost += (eluateLiKgH - concentrateLiKgH) * hours + (feedLiKg - productLiKg)
        lithiumToProduct += productLiKg
    }

    /// The column model of one bed (see ``ColumnDynamics``).
    static func columnModel(_ c: ColumnDynamics, bedVolume: Double) -> ColumnModel {
        let molar = AtomicWeight.lithium
        let binding = ColumnBinding(
            capacity: c.capacity * c.bulkDensity / (1 - c.bedPorosity) / molar, affinity: c.langmuirConstant * molar,
            ldfRate: c.ldfRatePerHour / 3600)
        return ColumnModel(
            geometry: ColumnGeometry(length: c.height, area: bedVolume / c.height, voidage: c.bedPorosity),
            dispersion: 5e-6, isotherm: ColumnIsotherm(components: [binding], kinetics: .linearDrivingForce),
            cells: c.cells, scheme: .koren)
    }

    /// Steps column `index` of the column model through `dt` seconds of its phase.
    ///
    /// - Returns: outlet Li (mg/L), liquid through the column (m³/h) and Li leaving it (kg).
    private mutating func stepColumn(
        _ index: Int, phase: ColumnPhase, flows: (load: Double, wash: Double, elute: Double), brineLi: Double, dt: Double
    ) -> (outlet: Double, m3h: Double, kg: Double) {
        guard dt > 0, let settings = parameters.columnModel else { return (values[PlantSignal.slot(.outletLi, column: index + 1)], 0, 0) }
        let molar = AtomicWeight.lithium
        let area = parameters.bedVolume / settings.height
        let (kind, m3h, inlet): (ColumnStepKind, Double, Double) = switch phase {
        case .load, .idle: (.load, flows.load, brineLi / molar)
        case .wash: (.wash, flows.wash, 0)
        case .elute: (.elute, flows.elute, 0)
        }
        let step = ColumnStep(
            name: kind.rawValue, kind: kind,
            flow: ColumnFlow(superficialVelocity: max(m3h, 1e-9) / 3600 / area, inlet: [inlet]), end: .duration(dt))
        guard let result = try? columnModels![index].run(step) else {
            columnModelFailures += 1
            return (values[PlantSignal.slot(.outletLi, column: index + 1)], m3h, 0)
        }
        columnLi[index] = columnModels![index].inventory(component: 0) * molar / 1000
        let outlet = result.volume > 0 ? result.out[0] / result.volume * molar : 0   // mol/m³ → mg/L
        return (outlet, m3h, result.out[0] * molar / 1000)
    }

    private var nominalPerColumn: Double {
        let p = parameters
        let loading = Double(p.columns) * p.loadDuration / p.cycleDuration
        return p.productionFlow * 3.6 / loading
    }

    @inline(__always) private mutating func set(_ signal: PlantSignal, _ value: Double) {
        values[signal.rawValue] = value
    }

    @inline(__always) private func lag(_ dt: Double, _ tau: Double) -> Double {
        tau > 0 ? 1 - exp(-dt / tau) : 1
    }
}

