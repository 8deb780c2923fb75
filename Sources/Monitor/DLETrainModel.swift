import Foundation
public import ProcessModel

/// What the plant's process model says about its DLE train, for the soft sensors: how much of the brine's Li
/// the columns capture, how much Li their pores and sorbent hold through a cycle, and the eluent's Li.
///
/// Built from the plant's one parameter set (``FlowsheetParameters``) and its steady state, as `geolith estimate`
/// solves it. The monitor knows neither the absolute size of the beds in its own time base (a simulator at ×10
/// runs ten times faster than its clock) nor the flows of the next hour, so the inventory is written in what it
/// measures: a column captures `κ` of the brine's Li over its cycle (`κ·B·T/n`, B the brine's Li per hour and T
/// the observed cycle), loaded evenly over its load and given up evenly over its elution; its pores hold `ε/L` of
/// a load's volume at the feed's concentration while loading, washed out by `e^(−W/ε)` and refilled with eluent.
public struct DLETrainModel: Sendable, Hashable {
    public var columns: Int
    public var loadingColumns: Int
    /// κ: Li captured by the train per Li in the brine.
    public var captureRatio: Double
    /// φ: Li in the feed per Li in the brine (the spent wash returns some).
    public var feedRatio: Double
    /// ε/L, W/ε and E/ε of the cycle.
    public var poresPerLoad: Double
    public var washOverPores: Double
    public var eluteOverPores: Double
    /// Li in the eluent, kg/m³: what the eluate carries that the columns did not capture.
    public var eluentLithium: Double

    /// The train of plant `p`, or `nil` when its flowsheet cannot be solved.
    public init?(parameters p: FlowsheetParameters) {
        guard let (coupled, _) = try? DynamicSorption.couple(p), let r = try? Flowsheet.solve(coupled),
            r.brineLithium.si > 0
        else { return nil }
        let dle = coupled.dle
        columns = dle.columns
        loadingColumns = max(1, dle.columns - dle.regeneratingColumns)
        feedRatio = r.feedLithium.si / r.brineLithium.si
        captureRatio = r.perPassRecovery * feedRatio
        poresPerLoad = dle.bedPorosity / dle.loadBedVolumes
        washOverPores = dle.washBedVolumes / dle.bedPorosity
        eluteOverPores = dle.eluteBedVolumes / dle.bedPorosity
        eluentLithium = r.eluentLithium.kilogramsPerCubicMetre
    }

    /// The Li one column holds above its heel, kg, `fraction` of the way through `phase` (1 load, 2 wash,
    /// 3 elute), for a train whose brine brings `brineLithium` kg/h and whose feed is `feed` m³/h, with
    /// observed load and cycle durations in hours.
    func columnInventory(
        phase: Int, fraction f: Double, brineLithium: Double, feed: Double, loadHours: Double, cycleHours: Double
    ) -> Double {
        let captured = captureRatio * brineLithium * cycleHours / Double(columns)
        let pores = poresPerLoad * feed * loadHours / Double(loadingColumns)  // m³
        let cf = feed > 0 ? feedRatio * brineLithium / feed : 0  // kg/m³
        let washed = cf * exp(-washOverPores)
        switch phase {
        case 1:
            let filled = min(1, f / max(poresPerLoad, 1e-12))
            return captured * f + pores * (eluentLithium + (cf - eluentLithium) * filled)
        case 2:
            return captured + pores * cf * exp(-washOverPores * f)
        case 3:
            let filled = min(1, f * eluteOverPores)
            return captured * (1 - f) + pores * (washed + (eluentLithium - washed) * filled)
        default:
            return 0
        }
    }
}
