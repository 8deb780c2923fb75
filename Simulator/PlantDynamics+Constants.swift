import Foundation
import ProcessModel

extension PlantDynamics {
    /// The design's figures in the units one step uses (m³, m³/s, kg, kg/m³, s, kW), worked out once.
    struct Constants: Sendable {
        // Well and heat exchange
        var brineFlow, brineLithium, wellheadTemperature, shutInTemperature, wellheadPressure, shutInPressure: Double
        var pumpFrequency, pumpPower, pumpRamp, warmUp, coolDown, tds, pH, density, specificHeat: Double
        var inletSetpoint, inletPressure, nominalCapacity: Double
        var sorbent: Sorbent
        // DLE
        var bed, pores, load, wash, elute, cycle, loadFlow, regenerationFlow: Double
        var elutionEfficiency, pressureDrop, initialHealth, fadePerCycle: Double
        var breakthrough: ReducedBreakthrough
        var nominalFeedLithium, nominalEluentLithium, capturedPerCycle, heel: Double
        // Concentration and refining
        var concentrationFactor, rejection, evaporationFactor, roEnergy, evaporationEnergy, roPressure,
            roIdlePressure: Double
        var eluentTarget, refiningYield, productPerLithium, nameplateLithium: Double
        var bufferTank, bufferSetpoint, nominalRefineryFeed, nominalRefineryConcentration: Double
        var silo, siloDispatch, siloResidual, condensateTank: Double
        var spentWashTank, spentWashSetpoint, nominalSpentWash, nominalSpentWashLithium: Double
        var refiningEnergy, processWater: Double
        // Reinjection and utilities
        var reinjection: ReinjectionStage
        var auxiliaryEnergy, baseLoad: Double

        init(_ design: SimulatedPlantDesign) {
            let p = design.parameters, n = design.nominal, c = design.cycle
            brineFlow = p.productionFlow.cubicMetresPerSecond
            brineLithium = p.brine.lithium.kilogramsPerCubicMetre
            wellheadTemperature = p.brine.temperature.celsius
            shutInTemperature = p.well.shutInTemperature
            wellheadPressure = p.well.wellheadPressure
            shutInPressure = p.well.shutInPressure
            pumpFrequency = p.well.pumpFrequency
            pumpPower = p.well.pumpPower(flow: p.productionFlow, density: p.brine.density).kilowatts
            pumpRamp = p.well.pumpRampSeconds
            warmUp = p.well.warmUpSeconds
            coolDown = p.well.coolDownSeconds
            tds = p.brine.totalDissolvedSolids.gramsPerLitre
            pH = p.brine.pH
            density = p.brine.density.kilogramsPerCubicMetre
            specificHeat = p.heatExchange.specificHeat
            inletSetpoint = p.heatExchange.dleInletTemperature.celsius
            inletPressure = p.dle.inletPressure
            sorbent = p.dle.sorbent
            nominalCapacity = max(p.dle.sorbent.maximumCapacity(at: n.dleInletTemperature), 1e-12)
            bed = p.dle.bedVolume.cubicMetres
            pores = p.dle.bedPorosity * bed
            load = c.loadSeconds
            wash = c.washSeconds
            elute = c.eluteSeconds
            cycle = c.cycleSeconds
            loadFlow = c.loadFlow.cubicMetresPerSecond
            regenerationFlow = c.regenerationFlow.cubicMetresPerSecond
            elutionEfficiency = max(p.dle.elutionEfficiency, 0.01)
            pressureDrop = p.dle.pressureDrop
            initialHealth = p.dle.sorbent.health
            fadePerCycle = p.dle.sorbent.fadePerCycle
            breakthrough = design.breakthrough.breakthrough
            nominalFeedLithium = n.feedFlow.si > 0 ? n.feedLithium.si / n.feedFlow.si : brineLithium
            nominalEluentLithium = n.eluentLithium.kilogramsPerCubicMetre
            capturedPerCycle = n.perPassRecovery * p.dle.loadBedVolumes * bed * nominalFeedLithium
            heel = capturedPerCycle * (1 - elutionEfficiency) / elutionEfficiency
            let method = p.concentration.method
            concentrationFactor = method == .none ? 1 : p.concentration.concentrationFactor
            rejection = method == .none ? 1 : p.concentration.lithiumRejection
            evaporationFactor = method == .reverseOsmosisEvaporation ? p.concentration.evaporationFactor : 1
            roEnergy = method == .none ? 0 : p.concentration.energyPerCubicMetre
            evaporationEnergy = p.concentration.evaporationEnergyPerCubicMetre
            roPressure = p.concentration.pressure
            roIdlePressure = p.concentration.idlePressure
            eluentTarget = p.dle.eluentLithium.kilogramsPerCubicMetre
            refiningYield = p.refining.yield
            productPerLithium = p.refining.route.product.massPerLithium
            let perLithium = productPerLithium
            nameplateLithium = p.refining.nameplate.map { $0 * 1000 / 86_400 / perLithium } ?? .infinity
            bufferTank = design.bufferTankVolume
            bufferSetpoint = p.refining.bufferSetpoint
            nominalRefineryFeed = design.nominalRefineryFeed
            nominalRefineryConcentration =
                n.concentrateFlow.si > 0 ? n.refineryFeedLithium.si / n.concentrateFlow.si : 0
            silo = design.productSiloCapacity
            siloDispatch = p.refining.siloDispatchLevel
            siloResidual = min(p.refining.siloResidualLevel, siloDispatch * 0.9)
            condensateTank = design.condensateTankVolume
            spentWashTank = design.spentWashTankVolume
            spentWashSetpoint = p.dle.spentWashSetpoint
            nominalSpentWash = design.nominalSpentWash
            nominalSpentWashLithium = n.washWater.si > 0 ? n.spentWashLithium.si / n.washWater.si : 0
            // kWh per kg of product: electrolysis by its own figure, every other route by its kWh per tonne.
            refiningEnergy =
                p.refining.route == .hydroxideElectrolysis
                ? p.refining.electrolysisEnergyPerKilogram : p.refining.energyPerTonne / 1000
            processWater = p.refining.processWaterPerTonne / 1000
            reinjection = p.reinjection
            auxiliaryEnergy = p.dle.auxiliaryEnergyPerCubicMetre
            baseLoad = p.baseLoadKilowatts
        }

        /// The phase at `clock` seconds into a column's cycle.
        func phase(_ clock: Double) -> ColumnPhase {
            clock < load ? .load : clock < load + wash ? .wash : .elute
        }

        /// What a column holds at `clock` into its cycle at the nominal point (the cycle the estimate averages).
        func nominalState(clock: Double) -> ColumnState {
            var s = ColumnState(clock: clock)
            let cf = nominalFeedLithium, cel = nominalEluentLithium
            s.phase = phase(clock)
            switch s.phase {
            case .load, .idle:
                let through = loadFlow * clock
                s.displaced = min(through, pores)
                s.loaded = max(0, through - pores) / bed
                s.sorbent = heel + bed * cf * (s.loaded - breakthrough.passed(upTo: s.loaded))
                s.pores = s.displaced * cf + (pores - s.displaced) * cel
            case .wash:
                s.displaced = pores
                s.sorbent = heel + capturedPerCycle
                s.pores = pores * cf * exp(-regenerationFlow * (clock - load) / max(pores, 1e-12))
            case .elute:
                let into = clock - load - wash
                s.elutionBase = heel + capturedPerCycle
                s.sorbent = s.elutionBase * (1 - elutionEfficiency * min(1, into / max(elute, 1e-12)))
                s.displaced = min(regenerationFlow * into, pores)
                s.pores =
                    s.displaced * cel + (pores - s.displaced) * cf * exp(-regenerationFlow * wash / max(pores, 1e-12))
            }
            return s
        }
    }
}
