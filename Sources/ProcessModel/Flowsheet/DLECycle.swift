/// The timing and flows of one DLE column's load–wash–elute cycle at the plant's nominal point: what the
/// flowsheet's cycle figures, the dynamic column, the simulator and the monitor's soft sensors all use.
///
/// The train feeds brine plus the recycled spent wash, `Q_f = Q_b·L/(L − W)` at steady state (the spent wash
/// is W/L of the feed). `columns − regenerating` columns load at a time, so a column loads L bed volumes in
/// `t_L = L·V·loading/Q_f`; the regenerating columns wash and elute in the slot the others load in,
/// `t_R = t_L·regenerating/loading`, split between wash and elution by their bed volumes at one flow. The cycle
/// is `t_L + t_R`; columns start `cycle/columns` apart, so exactly `loading` of them load at any time.
public struct DLECycle: Sendable, Hashable {
    /// Feed to the train (brine and spent wash) at the nominal point.
    public var feedFlow: VolumeFlow
    /// Flow through one loading column, and through a washing or eluting one.
    public var loadFlow: VolumeFlow
    public var regenerationFlow: VolumeFlow
    /// Phase durations of one column, s.
    public var loadSeconds: Double
    public var washSeconds: Double
    public var eluteSeconds: Double
    /// Columns loading at any time.
    public var loadingColumns: Int

    /// The cycle of the plant `p` at its production flow.
    public init(_ p: FlowsheetParameters) {
        let dle = p.dle
        let L = dle.loadBedVolumes, W = dle.washBedVolumes, E = dle.eluteBedVolumes
        let bed = dle.bedVolume.cubicMetres
        loadingColumns = max(1, dle.columns - dle.regeneratingColumns)
        let loading = Double(loadingColumns)
        let regenerating = Double(dle.columns - loadingColumns)
        feedFlow = p.productionFlow * (L > W ? L / (L - W) : 1)
        let qf = max(feedFlow.cubicMetresPerSecond, 1e-12)
        loadFlow = .cubicMetresPerSecond(qf / loading)
        loadSeconds = L * bed * loading / qf
        let regeneration = loadSeconds * regenerating / loading
        regenerationFlow = .cubicMetresPerSecond((W + E) * bed / max(regeneration, 1e-12))
        washSeconds = regeneration * W / (W + E)
        eluteSeconds = regeneration * E / (W + E)
    }

    /// Load, wash and elution of one column, s.
    public var cycleSeconds: Double { loadSeconds + washSeconds + eluteSeconds }
}
