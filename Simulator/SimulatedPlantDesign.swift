public import ProcessModel
import Synchronization

/// What the simulator derives from a plant's parameters before it runs: nothing here is set by hand.
///
/// The simulator takes the one parameter set of the plant (``FlowsheetParameters``, built from the plant
/// description as `geolith estimate` builds it) and derives from it the nominal steady state (the flowsheet,
/// with the column's cyclic steady state under `dle.model: dynamic`), the timing of the DLE cycle
/// (``DLECycle``), and the reduced breakthrough of its columns (``ReducedBreakthrough/derive(for:recovery:cells:)``:
/// the front of the plant's own column, placed at the DLE model's per-pass recovery). The plant then starts
/// at that steady state, so its means reproduce the estimate.
public struct SimulatedPlantDesign: Sendable {
    /// The plant's parameters, with the dynamic recovery filled in when the DLE model is `dynamic`.
    public let parameters: FlowsheetParameters
    /// The steady state the plant starts at, and whose figures its means reproduce.
    public let nominal: FlowsheetResult
    public let cycle: DLECycle
    public let breakthrough: ReducedBreakthrough.Derivation
    /// Each DLE column stepped by the dynamic column model (``DynamicSorption/column(for:cells:)``) instead of
    /// the reduced breakthrough: slower, for studying the columns themselves.
    public let columnResolved: Bool
    /// Finite-volume cells of the column-resolved columns.
    public let columnCells: Int
    /// Concentrate buffer tank, m³; product silo, kg of product.
    public let bufferTankVolume: Double
    public let productSiloCapacity: Double
    /// Nominal concentrate flow to the refinery, m³/s: the feed at the buffer's set point.
    public let nominalRefineryFeed: Double
    /// Condensate tank (evaporation only), m³: one cycle's wash water of the train.
    public let condensateTankVolume: Double
    /// Spent-wash tank, m³ (``SorptionStage/spentWashTank``), and its nominal drain to the feed, m³/s.
    public let spentWashTankVolume: Double
    public let nominalSpentWash: Double

    /// Derives the simulated plant of `parameters`.
    ///
    /// - Parameters:
    ///   - columnResolved: step each column with the dynamic column model.
    ///   - cells: cells of the plant's column, for the breakthrough's derivation and column-resolved columns.
    /// - Throws: ``FlowsheetError`` when the parameters are invalid or the flowsheet does not converge;
    ///   ``ColumnError`` when the column model fails.
    public init(
        parameters: FlowsheetParameters, columnResolved: Bool = false, cells: Int = DynamicSorption.defaultCells
    )
        throws
    {
        let (coupled, _) = try DynamicSorption.couple(parameters, cells: cells)
        let nominal = try Flowsheet.solve(coupled)
        self.parameters = coupled
        self.nominal = nominal
        cycle = DLECycle(coupled)
        breakthrough = try Self.derivation(coupled, recovery: nominal.perPassRecovery, cells: cells)
        self.columnResolved = columnResolved
        columnCells = cells
        let concentrate = nominal.concentrateFlow.cubicMetresPerSecond
        nominalRefineryFeed = max(concentrate, 1e-12)
        bufferTankVolume = coupled.refining.bufferTank?.cubicMetres ?? max(12 * 3600 * concentrate, 1)
        let perDay = coupled.refining.nameplate ?? nominal.productFlow.tonnesPerDay
        productSiloCapacity = (coupled.refining.productSilo ?? max(7 * perDay, 1)) * 1000
        let washPerCycle = Double(coupled.dle.columns) * coupled.dle.washBedVolumes * coupled.dle.bedVolume.cubicMetres
        condensateTankVolume = washPerCycle
        spentWashTankVolume = coupled.dle.spentWashTank?.cubicMetres ?? max(2 * washPerCycle, 1e-3)
        nominalSpentWash = nominal.washWater.cubicMetresPerSecond
    }

    /// The design of a plant of the Rittershoffen kind with every default (70 L/s of 170 mg/L brine): for
    /// tests and benchmarks that need a plant without a description.
    public static let reference: SimulatedPlantDesign = {
        var p = FlowsheetParameters(
            brine: Brine(lithium: .milligramsPerLitre(170)), productionFlow: .litresPerSecond(70))
        p.dle.model = .specified
        p.refining.nameplate = 6
        do { return try SimulatedPlantDesign(parameters: p) } catch {
            fatalError("the reference plant must solve: \(error)")
        }
    }()

    /// Derivations already made in this process, by parameters and cells: tests and daemons build the same
    /// plant many times, and a derivation runs the column model.
    private static let derivations = Mutex<[DerivationKey: ReducedBreakthrough.Derivation]>([:])

    private struct DerivationKey: Hashable {
        var parameters: FlowsheetParameters
        var recovery: Double
        var cells: Int
    }

    private static func derivation(_ p: FlowsheetParameters, recovery: Double, cells: Int) throws
        -> ReducedBreakthrough.Derivation
    {
        let key = DerivationKey(parameters: p, recovery: recovery, cells: cells)
        if let known = derivations.withLock({ $0[key] }) { return known }
        let derived = try ReducedBreakthrough.derive(for: p, recovery: recovery, cells: cells)
        derivations.withLock { cache in
            if cache.count > 256 { cache.removeAll() }
            cache[key] = derived
        }
        return derived
    }

    /// Columns in the train.
    public var columns: Int { parameters.dle.columns }
}
