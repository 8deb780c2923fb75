import ProcessModel

extension PlantDynamics {
    /// Flows of one step that leave the plant (m³/s) and its electricity (kW).
    struct DownstreamStep {
        var reinjected = 0.0
        var freshWater = 0.0
        var power = 0.0
    }

    /// Concentration, eluent make-up, refinery and utilities for one step, as the flowsheet's stages
    /// (``ConcentrationStage``, ``RefiningStage``): the RO splits the eluate, its permeate returns as eluent
    /// (what the eluent cannot take is reinjected), Li from the concentrate tops the eluent up to its set point,
    /// evaporation (when the method has it) sends condensate to a tank the washes draw from, and the rest goes to
    /// the refinery's buffer tank. The refinery's feed follows the tank's level (the nominal concentrate flow at
    /// the set point); its product is capped at the nameplate, the surplus lost as in the estimate.
    mutating func stepDownstream(_ dt: Double, _ dle: DLEStep) -> DownstreamStep {
        let d = disturbances
        var out = DownstreamStep()
        let qe = dle.eluate
        // Reverse osmosis, then evaporation.
        let cf = k.concentrationFactor, ef = k.evaporationFactor
        let qp = qe * (1 - 1 / cf), qc = qe / cf
        let permeateShare = (1 - k.rejection) * (1 - 1 / cf)
        let permeateLi = dle.eluateLi * permeateShare
        let concentrateLi = dle.eluateLi - permeateLi
        let qv = qc * (1 - 1 / ef), qcFinal = qc - qv
        // The permeate returns as eluent; the rest is reinjected with its Li.
        let qpu = min(qp, qe)
        let reusedLi = qp > 0 ? permeateLi * qpu / qp : 0
        // The eluent this step carried eluentLithium; what the permeate did not bring came from the concentrate
        // (or, for a step that brought more, went back to it): the refinery gets the rest.
        let dosed = qe * dt * eluentLithium - reusedLi
        let toRefinery = concentrateLi - dosed
        if qe > 0 && dt > 0 {
            // The next step's eluent: the permeate's Li, topped up towards the set point from the concentrate.
            let wanted = max(0, qe * dt * k.eluentTarget - reusedLi)
            eluentLithium = (reusedLi + min(wanted, concentrateLi)) / (qe * dt)
        }
        set(.roFeedFlow, qe * 3600)
        set(.roPermeateFlow, qp * 3600)
        if qc > 0 { heldConcentrateLi = qe > 0 ? dle.eluateRate * (1 - permeateShare) / qc : heldConcentrateLi }
        set(.roConcentrateLi, heldConcentrateLi)  // kg/m³ = g/L
        set(.roPressure, qe > 0 ? k.roPressure : k.roIdlePressure)
        // Condensate: into its tank; the washes draw on it; the overflow is reinjected.
        condensateTank += qv * dt
        let washWater = dle.wash * dt
        let drawn = min(washWater, condensateTank)
        condensateTank -= drawn
        let overflow = max(0, condensateTank - k.condensateTank)
        condensateTank -= overflow

        // Refinery buffer tank and refinery.
        refineryTank += qcFinal * dt
        refineryTankLi += toRefinery
        let running = !d.refineryTripped
        let feedRate = running ? k.nominalRefineryFeed * refineryTank / (k.bufferSetpoint * k.bufferTank) : 0
        let fed = min(refineryTank, feedRate * dt)
        let concentration = refineryTank > 0 ? refineryTankLi / refineryTank : 0
        let fedLi = fed * concentration
        refineryTank -= fed
        refineryTankLi -= fedLi
        let productLi = min(fedLi * k.refiningYield, k.nameplateLithium * dt)
        let productRate = dt > 0 ? productLi / dt : min(feedRate * concentration * k.refiningYield, k.nameplateLithium)
        let product = productRate * k.productPerLithium  // kg/s of product
        productSilo += productLi * k.productPerLithium
        if productSilo >= k.siloDispatch * k.silo { productSilo = k.siloResidual * k.silo }  // a truck leaves
        set(.refineryFeedFlow, feedRate * 3600)
        set(.refineryTankLevel, 100 * refineryTank / k.bufferTank)
        set(.refineryRunning, running ? 1 : 0)
        set(.productRate, product * 3600)
        set(.productTankLevel, 100 * productSilo / k.silo)

        // What leaves: raffinate, surplus permeate and condensate; fresh water for washes, eluent and refinery.
        out.reinjected = dle.feed + (qp - qpu) + (dt > 0 ? overflow / dt : 0)
        out.freshWater = (dt > 0 ? (washWater - drawn) / dt : dle.wash) + (qe - qpu) + k.processWater * product
        out.power =
            k.auxiliaryEnergy * dle.feed * 3600 + k.roEnergy * qe * 3600 + k.evaporationEnergy * qv * 3600
            + k.refiningEnergy * product * 3600 + k.baseLoad
        accounts.permeateLithiumReinjected += permeateLi - reusedLi
        accounts.refineryInLithium += toRefinery
        accounts.refineryFeedLithium += fedLi
        accounts.productLithium += productLi
        accounts.refiningLossLithium += fedLi - productLi
        accounts.product += productLi * k.productPerLithium
        return out
    }
}
