/// What the simulated plant has moved since it started, summed over every step: lithium (kg) by stream,
/// volumes (m³), energy (kWh) and product (kg). Differences between two moments give that interval's means, on
/// the same stage boundaries as `geolith estimate` (``PlantAccounts/means(since:)``).
public struct PlantAccounts: Sendable, Hashable {
    /// Simulated seconds summed.
    public var seconds = 0.0
    // Lithium, kg
    public var brineLithium = 0.0
    /// Raffinate leaving the DLE train (to reinjection).
    public var raffinateLithium = 0.0
    /// RO permeate the eluent did not take (to reinjection).
    public var permeateLithiumReinjected = 0.0
    /// Concentrate sent to the refinery's buffer tank (after the eluent's Li dosing).
    public var refineryInLithium = 0.0
    /// Taken from the buffer tank by the refinery.
    public var refineryFeedLithium = 0.0
    public var productLithium = 0.0
    /// Refining yield and nameplate losses.
    public var refiningLossLithium = 0.0
    // Volumes, m³
    public var brineVolume = 0.0
    public var freshWater = 0.0
    public var reinjectedVolume = 0.0
    // Energy, kWh; product, kg
    public var electricity = 0.0
    public var product = 0.0

    public init() {}

    /// Means over the interval since `earlier`, in the units of `geolith estimate`.
    public func means(since earlier: PlantAccounts) -> Means {
        let hours = (seconds - earlier.seconds) / 3600
        func rate(_ path: KeyPath<PlantAccounts, Double>) -> Double {
            hours > 0 ? (self[keyPath: path] - earlier[keyPath: path]) / hours : 0
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
        let brine = rate(\.brineLithium), raffinate = rate(\.raffinateLithium)
        let toRefinery = rate(\.refineryInLithium), fed = rate(\.refineryFeedLithium), product = rate(\.productLithium)
        return Means(
            hours: hours, productRate: rate(\.product), dleRecovery: ratio(brine - raffinate, brine),
            concentrationRecovery: ratio(toRefinery, brine - raffinate), refiningRecovery: ratio(product, fed),
            freshWater: rate(\.freshWater), electricity: rate(\.electricity), brineFlow: rate(\.brineVolume),
            lithiumInBrine: brine, lithiumProduct: product)
    }

    /// Means of an interval (per hour unless stated).
    public struct Means: Sendable, Hashable {
        public var hours: Double
        /// kg of product per hour.
        public var productRate: Double
        /// Recoveries per stage, as fractions, on the estimate's boundaries.
        public var dleRecovery: Double
        public var concentrationRecovery: Double
        public var refiningRecovery: Double
        /// m³/h of fresh water; kW of lithium-plant electricity; m³/h of brine.
        public var freshWater: Double
        public var electricity: Double
        public var brineFlow: Double
        /// kg/h of Li in the brine and in the product.
        public var lithiumInBrine: Double
        public var lithiumProduct: Double
    }
}
