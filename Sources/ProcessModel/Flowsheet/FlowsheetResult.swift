/// How well a balance closes: `|in − out| / in`.
public struct BalanceClosure: Sendable, Hashable {
    public var input: Double
    public var output: Double
    /// Relative closure, 0 when `input` is 0 and `output` is 0.
    public var relative: Double {
        let scale = max(abs(input), abs(output))
        return scale > 0 ? abs(input - output) / scale : 0
    }
}

/// The solved plant: every stream in SI, and the figures R&D and operators read.
public struct FlowsheetResult: Sendable, Hashable {
    /// Recycle iterations used.
    public internal(set) var iterations = 0
    public let availabilityHours: Double
    public let product: ProductForm
    public internal(set) var warnings: FlowsheetWarnings = []

    // Well and heat exchange
    public let brineFlow: VolumeFlow
    public let brineLithium: MassFlow
    public internal(set) var dleInletTemperature: Temperature = .zero
    public internal(set) var heatRecovered: Power = .zero
    // DLE
    public internal(set) var feedFlow: VolumeFlow = .zero
    public internal(set) var feedLithium: MassFlow = .zero
    public internal(set) var washWater: VolumeFlow = .zero
    public internal(set) var eluentFlow: VolumeFlow = .zero
    public internal(set) var eluentLithium: MassConcentration = .zero
    public internal(set) var raffinateLithium: MassFlow = .zero
    public internal(set) var spentWashLithium: MassFlow = .zero
    public internal(set) var eluateLithium: MassFlow = .zero
    /// Li fed per cycle over the working capacity at equilibrium (> 1: loading past breakthrough).
    public internal(set) var loadingRatio = 0.0
    /// Per-pass recovery the isotherm and cycle allow, whatever the model used.
    public internal(set) var equilibriumRecovery = 0.0
    /// Per-pass recovery of the model used: captured over fed.
    public internal(set) var perPassRecovery = 0.0
    /// Length of one column's cycle (load + regeneration), s.
    public internal(set) var cycleSeconds = 0.0
    /// Cycles each column runs per year, and the sorbent health after one year from its current age.
    public internal(set) var cyclesPerYear = 0.0
    public internal(set) var healthNow = 1.0
    public internal(set) var healthAfterOneYear = 1.0
    /// Mass ratio of each impurity to Li in the eluate, when the brine gives it.
    public internal(set) var eluateImpurityRatios: [BrineSpecies: Double] = [:]
    // Concentration
    public internal(set) var permeateFlow: VolumeFlow = .zero
    public internal(set) var permeateReused: VolumeFlow = .zero
    public internal(set) var permeateToReinjection: VolumeFlow = .zero
    public internal(set) var permeateLithiumToReinjection: MassFlow = .zero
    public internal(set) var concentrateFlow: VolumeFlow = .zero
    public internal(set) var concentrateLithium: MassFlow = .zero
    public internal(set) var condensateFlow: VolumeFlow = .zero
    public internal(set) var condensateReused: VolumeFlow = .zero
    // Refining
    public internal(set) var eluentLithiumDosed: MassFlow = .zero
    public internal(set) var refineryFeedLithium: MassFlow = .zero
    /// Li in the product.
    public internal(set) var productLithium: MassFlow = .zero
    public internal(set) var refiningYieldLoss: MassFlow = .zero
    public internal(set) var refiningBypassLoss: MassFlow = .zero
    /// Li2CO3 yield the mother liquor's solubility allows (soda-ash route), else 1.
    public internal(set) var solubilityLimitedYield = 1.0
    // Reinjection
    public internal(set) var reinjectionFlow: VolumeFlow = .zero
    public internal(set) var reinjectionLithium: MassFlow = .zero
    public internal(set) var reinjectionTemperature: Temperature = .zero
    // Water
    public internal(set) var freshWashWater: VolumeFlow = .zero
    public internal(set) var freshEluentWater: VolumeFlow = .zero
    public internal(set) var refineryProcessWater: VolumeFlow = .zero
    public internal(set) var refineryEffluent: VolumeFlow = .zero
    public internal(set) var condensateSurplus: VolumeFlow = .zero
    // Electricity by stage
    public internal(set) var dlePower: Power = .zero
    public internal(set) var concentrationPower: Power = .zero
    public internal(set) var evaporationPower: Power = .zero
    public internal(set) var refiningPower: Power = .zero
    /// The lithium plant's base load (``FlowsheetParameters/baseLoadKilowatts``).
    public internal(set) var basePower: Power = .zero
    /// kg CO2 per kWh of the site's grid.
    public let gridEmissionFactor: Double
    // Balances
    public internal(set) var lithiumBalance = BalanceClosure(input: 0, output: 0)
    public internal(set) var waterBalance = BalanceClosure(input: 0, output: 0)
    // Utilisation (nil when the design capacity is not stated)
    public internal(set) var dleUtilisation: Double?
    public internal(set) var concentrationUtilisation: Double?
    public internal(set) var refiningUtilisation: Double?
    /// The parameters it was solved with.
    public let parameters: FlowsheetParameters
    var route: RefiningStage.Route { parameters.refining.route }

    init(parameters p: FlowsheetParameters) {
        parameters = p
        availabilityHours = p.availabilityHours
        product = p.refining.route.product
        brineFlow = p.productionFlow
        brineLithium = p.brine.lithiumFlow(p.productionFlow)
        gridEmissionFactor = p.energy.gridEmissionFactor
    }
}
