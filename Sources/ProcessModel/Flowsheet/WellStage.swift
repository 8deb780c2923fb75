/// The production well, its pump and its wellhead, as far as the plant's dynamics need them.
///
/// The steady-state flowsheet uses only the production flow and the brine temperature; the simulator also
/// needs how the wellhead behaves when the pump stops and starts, and what the pump draws. These figures
/// are plant-description keys (`production.*`) like every other; what the publications do not give is an
/// assumption, stated as such (docs/sources.md, "Production well").
///
/// The pump's power is not part of the lithium plant's electricity: the production pump belongs to the
/// geothermal plant, which runs it whether lithium is extracted or not. Both `geolith estimate` and the
/// simulator's `power.total` leave it out; the simulator serves it as `production.pump.power`.
public struct WellStage: Sendable, Hashable {
    /// Wellhead pressure while producing, bar: kept above CO2 breakout; ≈20 bar at the EuGeLi DLE inlet [S]
    /// (docs/sources.md §1.2), so 22 bar at the wellhead assumed. A production well's `pressure` in the plant
    /// description sets it.
    public var wellheadPressure: Double = 22
    /// Wellhead pressure with the pump stopped, bar. [U]: 8 bar assumed.
    public var shutInPressure: Double = 8
    /// Temperature the wellhead cools towards while the pump stands, °C. [U]: 90 °C assumed.
    public var shutInTemperature: Double = 90
    /// Pump drive frequency at the design flow, Hz: the 50 Hz grid (variable-speed drive at nominal).
    public var pumpFrequency: Double = 50
    /// Total head of the production pump, m. [U]: 600 m assumed (setting depth and drawdown; Soultz ran
    /// line-shaft pumps [S], docs/sources.md §1.2, without a published head).
    public var pumpHead: Double = 600
    /// Wire-to-water efficiency of the pump. [U]: 0.7 assumed.
    public var pumpEfficiency: Double = 0.7
    /// Time constant of the pump's speed ramp, s. [U]: 30 s assumed.
    public var pumpRampSeconds: Double = 30
    /// Time constant of the wellhead temperature while producing, s. [U]: 300 s assumed.
    public var warmUpSeconds: Double = 300
    /// Time constant of the wellhead's cooling with the pump stopped, s. [U]: 3,600 s assumed.
    public var coolDownSeconds: Double = 3600

    public init() {}

    /// Electrical power of the pump at `flow`: ρ·g·H·Q/η (standard gravity 9.80665 m/s²).
    public func pumpPower(flow: VolumeFlow, density: Density) -> Power {
        guard pumpEfficiency > 0 else { return .zero }
        return .watts(density.kilogramsPerCubicMetre * 9.80665 * pumpHead * flow.cubicMetresPerSecond / pumpEfficiency)
    }
}
