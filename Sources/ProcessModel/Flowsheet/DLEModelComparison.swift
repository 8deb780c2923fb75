/// The three DLE models at one operating point, side by side, with what limits each: so that a plant's per-pass
/// recovery never rests on one figure when the models disagree.
///
/// `specified` is the pilots' recovery (`dle.recovery`), `equilibrium` what the isotherm and the cycle allow, and
/// `dynamic` the cyclic steady state of the plant's own column (``DynamicSorption``). A model below the others is
/// explained by its limiting cause:
///
/// - capacity exceeded: a load offers more Li than the working capacity at equilibrium (loading ratio > 1);
/// - elution-limited: the elution leaves the bed loaded, so at the column's cyclic steady state a load keeps
///   less than half of what it keeps on a fresh bed;
/// - kinetics-limited: even a fresh bed keeps far less of its first load than the isotherm would (the front
///   breaks through early because mass transfer is slow).
public struct DLEModelComparison: Sendable, Hashable {
    /// One model's figures.
    public struct Entry: Sendable, Hashable {
        public var model: SorptionStage.Model
        /// Per-pass recovery (captured over fed), and the DLE recovery on the brine basis it gives.
        public var perPassRecovery: Double
        public var dleRecovery: Double
        /// What limits it, when it is a model that falls short of another by more than ``threshold``.
        public var causes: [String]
    }

    /// Disagreement (in per-pass recovery) beyond which `geolith estimate` shows the three: 10 points.
    public static let threshold = 0.10

    public var entries: [Entry]
    /// The active model of the plant.
    public var active: SorptionStage.Model

    /// Largest minus smallest per-pass recovery, as a fraction.
    public var spread: Double {
        let values = entries.map(\.perPassRecovery)
        return (values.max() ?? 0) - (values.min() ?? 0)
    }

    /// Whether the models differ by more than ``threshold``.
    public var disagree: Bool { spread > Self.threshold }

    /// Solves `p` under each DLE model.
    ///
    /// - Throws: ``FlowsheetError`` or ``ColumnError`` when a model cannot be solved.
    public init(_ p: FlowsheetParameters, cells: Int = DynamicSorption.defaultCells) throws {
        active = p.dle.model
        var specified = p, equilibrium = p, dynamic = p
        specified.dle.model = .specified
        equilibrium.dle.model = .equilibrium
        dynamic.dle.model = .dynamic
        let column = try DynamicSorption.cyclicSteadyState(for: dynamic, cells: cells)
        dynamic.dle.dynamicRecovery = column.perPassRecovery
        let results = try [specified, equilibrium, dynamic].map { try Flowsheet.solve($0) }
        let best = results.map(\.perPassRecovery).max() ?? 0
        let equilibriumResult = results[1]
        entries = zip(SorptionStage.Model.allCases, results).map { model, r in
            var causes: [String] = []
            if best - r.perPassRecovery > Self.threshold {
                switch model {
                case .specified:
                    causes.append("given (dle.recovery)")
                case .equilibrium:
                    causes += Self.capacity(equilibriumResult)
                case .dynamic:
                    causes += Self.column(column, equilibrium: equilibriumResult)
                }
            } else if model == .specified, r.perPassRecovery > equilibriumResult.perPassRecovery + Self.threshold {
                causes.append(
                    "above what the isotherm and cycle allow (\(Self.percent(equilibriumResult.perPassRecovery)))")
            }
            return Entry(model: model, perPassRecovery: r.perPassRecovery, dleRecovery: r.dleRecovery, causes: causes)
        }
    }

    static func capacity(_ r: FlowsheetResult) -> [String] {
        guard r.loadingRatio.isFinite, r.loadingRatio > 1 else {
            return ["the breakthrough front (dle.leakage, dle.front_sharpness)"]
        }
        return ["capacity exceeded: a load offers \(FlowsheetResult.text(r.loadingRatio))× the working capacity"]
    }

    static func column(_ s: DynamicSorption.Summary, equilibrium: FlowsheetResult) -> [String] {
        var causes: [String] = []
        if s.loadCapture < 0.5 * s.freshLoadCapture {
            causes.append(
                "elution-limited: the elution leaves the bed loaded, so a load keeps \(percent(s.loadCapture)) at "
                    + "steady state against \(percent(s.freshLoadCapture)) on a fresh bed")
        }
        if s.freshLoadCapture < equilibrium.equilibriumRecovery - threshold {
            causes.append(
                "kinetics-limited: a fresh bed keeps \(percent(s.freshLoadCapture)) of its first load where the "
                    + "isotherm allows \(percent(equilibrium.equilibriumRecovery)) (sorbent.k_ldf_per_hour)")
        }
        if causes.isEmpty, equilibrium.loadingRatio > 1 { causes += capacity(equilibrium) }
        return causes
    }

    static func percent(_ x: Double) -> String { FlowsheetResult.text(x * 100) + " %" }
}
