import RealModule

/// The raw streams of the last recycle iteration, in SI (m³/s, kg/s, kg/m³).
struct FlowsheetState {
    var iterations: Int
    var inlet: Temperature
    var duty: Power
    var qf, mf, s, qw, qel, cel, capturedPerBed, mr: Double
    var qswIn, mswIn, qswOut, mswOut, me, qp, mp, qc, mc, qv, qcFinal, qpu: Double
    var mpuIn, mpuOut, mdoseIn, mdoseOut, mrf, made, product, competitors, cfeed: Double
}

extension FlowsheetResult {
    /// Derives every reported figure from the last iteration's streams.
    mutating func fill(_ x: FlowsheetState) {
        let p = parameters
        iterations = x.iterations
        dleInletTemperature = x.inlet
        heatRecovered = x.duty
        feedFlow = .init(si: x.qf)
        feedLithium = .init(si: x.mf)
        washWater = .init(si: x.qw)
        eluentFlow = .init(si: x.qel)
        eluentLithium = .init(si: x.cel)
        raffinateLithium = .init(si: x.mr)
        spentWashLithium = .init(si: x.mswOut)
        eluateLithium = .init(si: x.me)

        // DLE figures per cycle.
        let dle = p.dle
        let fedPerBed = dle.loadBedVolumes * x.cfeed
        let working = dle.workingCapacity(
            feedLithium: x.cfeed, competitors: x.competitors, temperature: x.inlet,
            chloride: SorptionStage.chloride(of: p.brine))
        loadingRatio = working > 0 ? fedPerBed * (1 - dle.leakage) / working : .infinity
        equilibriumRecovery = fedPerBed > 0
            ? SorptionStage.smoothMinimum(fedPerBed * (1 - dle.leakage), working, sharpness: dle.frontSharpness) / fedPerBed
            : 0
        perPassRecovery = fedPerBed > 0 ? x.capturedPerBed / fedPerBed : 0
        let loadingColumns = Double(dle.columns - dle.regeneratingColumns)
        // A column loads L·V_bed at Q_f / (columns loading); its cycle adds the regeneration share.
        let loadSeconds = x.qf > 0 ? dle.loadBedVolumes * dle.bedVolume.si * loadingColumns / x.qf : .infinity
        cycleSeconds = loadSeconds * Double(dle.columns) / loadingColumns
        cyclesPerYear = cycleSeconds.isFinite ? availabilityHours * 3600 / cycleSeconds : 0
        healthNow = dle.sorbent.health
        healthAfterOneYear = Double.pow(1 - dle.sorbent.fadePerCycle, dle.sorbent.ageCycles + cyclesPerYear)
        if !p.brine.composition.isEmpty, x.capturedPerBed > 0 {
            // Co-sorbed impurity per cycle: C·(c_j/c_Li)/α_j; entrained after the wash: ε·c_j·e^(−W/ε).
            let dilution = x.qf > 0 ? brineFlow.si / x.qf : 0
            for (species, alpha) in [(BrineSpecies.Na, dle.sorbent.selectivity.sodium),
                (.K, dle.sorbent.selectivity.potassium), (.Ca, dle.sorbent.selectivity.calcium),
                (.Mg, dle.sorbent.selectivity.magnesium)]
            {
                guard let c = p.brine.composition[species]?.si, x.cfeed > 0 else { continue }
                let cj = c * dilution
                let perBed = x.capturedPerBed * (cj / x.cfeed) / alpha + dle.bedPorosity * cj * dle.poreRetention
                eluateImpurityRatios[species] = perBed / (x.capturedPerBed + dle.eluteBedVolumes * x.cel)
            }
        }
        if dle.model == .equilibrium && loadingRatio > 1 { warnings.insert(.loadExceedsCapacity) }
        if dle.model != .equilibrium && perPassRecovery > equilibriumRecovery + 1e-9 {
            warnings.insert(.specifiedRecoveryAboveEquilibrium)
        }
        if !dle.sorbent.operatingWindow.contains(x.inlet.celsius) { warnings.insert(.inletOutsideSorbentWindow) }
        if p.brine.measuredDensity == nil, !Brine.densityValidity.contains(p.brine.totalDissolvedSolids.gramsPerLitre) {
            warnings.insert(.densityExtrapolated)
        }

        // Concentration.
        permeateFlow = .init(si: x.qp)
        permeateReused = .init(si: x.qpu)
        permeateToReinjection = .init(si: x.qp - x.qpu)
        permeateLithiumToReinjection = .init(si: x.mp - x.mpuOut)
        concentrateFlow = .init(si: x.qcFinal)
        concentrateLithium = .init(si: x.mc)
        condensateFlow = .init(si: x.qv)
        let condensateReusedSI = min(x.qv, x.qw)
        condensateReused = .init(si: condensateReusedSI)
        condensateSurplus = .init(si: x.qv - condensateReusedSI)

        // Refining.
        eluentLithiumDosed = .init(si: x.mdoseOut)
        refineryFeedLithium = .init(si: x.mrf)
        productLithium = .init(si: x.product)
        refiningYieldLoss = .init(si: x.mrf - x.made)
        refiningBypassLoss = .init(si: x.made - x.product)
        if x.made > x.product { warnings.insert(.refineryAtNameplate) }
        if route == .lithiumCarbonateSodaAsh || route == .hydroxideCausticisation, x.mrf > 0 {
            let dissolvedLi = RefiningStage.carbonateSolubility(at: p.refining.precipitationTemperature)
                / LithiumCarbonate.massPerLithium * x.qcFinal
            solubilityLimitedYield = max(0, 1 - dissolvedLi / x.mrf)
            if p.refining.yield > solubilityLimitedYield { warnings.insert(.yieldAboveSolubilityLimit) }
        }

        // Reinjection: raffinate plus the permeate the eluent does not take.
        reinjectionFlow = .init(si: x.qf + (x.qp - x.qpu) + (x.qv - condensateReusedSI))
        reinjectionLithium = .init(si: x.mr + (x.mp - x.mpuOut))
        reinjectionTemperature = p.reinjection.temperature(afterDLEAt: x.inlet)

        // Water: wash water (less reused condensate), eluent make-up, refinery process water.
        let productSI = x.product * product.massPerLithium  // kg product per s
        freshWashWater = .init(si: x.qw - condensateReusedSI)
        freshEluentWater = .init(si: x.qel - x.qpu)
        refineryProcessWater = .init(si: p.refining.processWaterPerTonne * productSI / 1e3)
        refineryEffluent = .init(si: x.qcFinal + refineryProcessWater.si)

        // Electricity.
        dlePower = .kilowatts(dle.auxiliaryEnergyPerCubicMetre * x.qf * 3600)
        concentrationPower = .kilowatts(
            p.concentration.method == .none ? 0 : p.concentration.energyPerCubicMetre * x.qel * 3600)
        evaporationPower = .kilowatts(p.concentration.evaporationEnergyPerCubicMetre * x.qv * 3600)
        switch route {
        case .hydroxideElectrolysis:
            refiningPower = .kilowatts(p.refining.electrolysisEnergyPerKilogram * productSI * 3600)
        default:
            refiningPower = .kilowatts(p.refining.energyPerTonne * productSI / 1e3 * 3600)
        }

        basePower = .kilowatts(p.baseLoadKilowatts)

        // Utilisation against design capacities; above design is flagged for each stage alike.
        dleUtilisation = dle.designFlow.map { x.qf / $0.si }
        concentrationUtilisation = p.concentration.designFeed.map { x.qel / $0.si }
        refiningUtilisation = p.refining.nameplate.map { productSI * 86.4 / $0 }
        if let u = dleUtilisation, u > 1 + 1e-12 { warnings.insert(.dleAboveDesign) }
        if let u = concentrationUtilisation, u > 1 + 1e-12 { warnings.insert(.concentrationAboveDesign) }

        // Balances over the plant boundary.
        lithiumBalance = BalanceClosure(
            input: brineLithium.si,
            output: reinjectionLithium.si + productLithium.si + refiningYieldLoss.si + refiningBypassLoss.si)
        waterBalance = BalanceClosure(
            input: brineFlow.si + freshWashWater.si + freshEluentWater.si + refineryProcessWater.si,
            output: reinjectionFlow.si + refineryEffluent.si)
    }
}
