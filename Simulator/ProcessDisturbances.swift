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
