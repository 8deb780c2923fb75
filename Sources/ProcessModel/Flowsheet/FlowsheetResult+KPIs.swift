/// The figures a reader of an estimate wants, derived from the solved streams.
extension FlowsheetResult {
    /// Li in the product, as a typed lithium flow.
    public var lithiumProduction: LithiumMassFlow<Lithium> { .init(lithium: productLithium) }

    /// Production expressed as compound `C` (Li, LCE, LHM, LiCl), whatever the product actually is.
    public func production<C: LithiumCompound>(as _: C.Type) -> LithiumMassFlow<C> { .init(lithium: productLithium) }

    /// Annual production as compound `C`: rate × availability hours.
    public func annualProduction<C: LithiumCompound>(as _: C.Type) -> LithiumMass<C> {
        production(as: C.self).mass(overHours: availabilityHours)
    }

    /// The product actually made, kg/s of product.
    public var productFlow: MassFlow { .init(si: productLithium.si * product.massPerLithium) }
    /// Tonnes of product per year.
    public var productPerYear: Double { productFlow.si * availabilityHours * 3.6 }

    // MARK: Recoveries (net, on the brine basis; their product is the overall recovery)

    /// Li the DLE keeps from reinjection: 1 − raffinate / brine Li.
    public var dleRecovery: Double { ratio(brineLithium.si - raffinateLithium.si, brineLithium.si) }
    /// Li reaching the refinery over Li the DLE took.
    public var concentrationRecovery: Double {
        ratio(refineryFeedLithium.si, brineLithium.si - raffinateLithium.si)
    }
    /// Li in product over Li fed to the refinery.
    public var refiningRecovery: Double { ratio(productLithium.si, refineryFeedLithium.si) }
    /// Li in product over Li in the brine.
    public var overallRecovery: Double { ratio(productLithium.si, brineLithium.si) }

    // MARK: Water, energy, CO2 per tonne of product

    /// Fresh water drawn by the Li plant.
    public var freshWater: VolumeFlow { freshWashWater + freshEluentWater + refineryProcessWater }
    /// m³ of fresh water per tonne of product; `nil` without product.
    public var freshWaterPerTonne: Double? { perTonne(freshWater.si) }
    /// Electricity of the lithium plant: DLE auxiliaries, concentration, evaporation, refining and the base load.
    /// The production pump is the geothermal plant's and is not counted (the simulator's `power.total` draws
    /// the same boundary).
    public var electricPower: Power { dlePower + concentrationPower + evaporationPower + refiningPower + basePower }

    /// Brine produced per year: the production flow over the availability hours, m³/yr (what the well's
    /// totaliser reads over a year).
    public var brinePerYear: Double { brineFlow.cubicMetresPerHour * availabilityHours }
    /// Heat recovered to the DLE inlet per year, MWh/yr (what the heat meter reads over a year).
    public var heatRecoveredPerYear: Double { heatRecovered.megawatts * availabilityHours }
    /// kWh per tonne of product; `nil` without product.
    public var energyPerTonne: Double? { perTonne(electricPower.kilowatts / 3600).map { $0 } }
    /// kg CO2 per tonne of product from grid electricity; `nil` without product.
    public var co2PerTonne: Double? { energyPerTonne.map { $0 * gridEmissionFactor } }

    // MARK: Reagents and by-products (t per t of product, stoichiometric from molar masses × (1 + excess))

    /// Reagents consumed and by-products made per tonne of product, by name.
    public var reagentsPerTonne: [(name: String, tonnesPerTonne: Double)] {
        let naCl = AtomicWeight.sodium + AtomicWeight.chlorine
        let na2co3 = 2 * AtomicWeight.sodium + AtomicWeight.carbon + 3 * AtomicWeight.oxygen
        let caoh2 = AtomicWeight.calcium + 2 * (AtomicWeight.oxygen + AtomicWeight.hydrogen)
        let caco3 = AtomicWeight.calcium + AtomicWeight.carbon + 3 * AtomicWeight.oxygen
        let lce = LithiumCarbonate.molarMass
        let lhm = LithiumHydroxideMonohydrate.molarMass
        let excess = 1 + parameters.refining.reagentExcess
        var list: [(String, Double)]
        switch route {
        case .lithiumCarbonateSodaAsh:
            // 2 LiCl + Na2CO3 → Li2CO3 + 2 NaCl: 1.434 t Na2CO3 and 1.582 t NaCl per t LCE [C] (docs/sources.md §3.1).
            list = [("Na2CO3 (soda ash)", na2co3 / lce * excess), ("NaCl by-product", 2 * naCl / lce)]
        case .hydroxideElectrolysis:
            // 2 LiCl + 2 H2O → 2 LiOH + Cl2 + H2: 1.010 t LiCl, 0.845 t Cl2, 0.024 t H2 per t LHM [C].
            list = [
                ("LiCl feed", LithiumChloride.molarMass / lhm),
                ("Cl2 by-product", 2 * AtomicWeight.chlorine / (2 * lhm)),
                ("H2 by-product", 2 * AtomicWeight.hydrogen / (2 * lhm)),
            ]
        case .hydroxideCausticisation:
            // Li2CO3 first (soda ash), then Li2CO3 + Ca(OH)2 → 2 LiOH + CaCO3, per t LHM.
            list = [
                ("Na2CO3 (soda ash)", na2co3 / (2 * lhm) * excess), ("Ca(OH)2 (lime)", caoh2 / (2 * lhm) * excess),
                ("CaCO3 by-product", caco3 / (2 * lhm)), ("NaCl by-product", 2 * naCl / (2 * lhm)),
            ]
        case .lithiumChloride:
            list = []
        }
        if parameters.dle.washSalt.si > 0, let w = perTonne(washWater.si * parameters.dle.washSalt.si / 1e3) {
            list.append(("wash salt (NaCl/KCl)", w))
        }
        if parameters.dle.eluentSalt.si > 0, let e = perTonne(eluentFlow.si * parameters.dle.eluentSalt.si / 1e3) {
            list.append(("eluent salt (NaCl)", e))
        }
        return list
    }

    // MARK: Capacity

    /// The stage closest to (or beyond) its design capacity, among those with a stated capacity.
    public var bottleneck: (stage: String, utilisation: Double)? {
        [("DLE", dleUtilisation), ("concentration", concentrationUtilisation), ("refining", refiningUtilisation)]
            .compactMap { name, u in u.map { (name, $0) } }
            .max { $0.1 < $1.1 }
    }

    private func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

    /// `amount per second` divided by tonnes of product per second.
    private func perTonne(_ amountPerSecond: Double) -> Double? {
        let tonnesPerSecond = productFlow.si / 1e3
        return tonnesPerSecond > 0 ? amountPerSecond / tonnesPerSecond : nil
    }
}
