import Foundation
public import ProcessModel

/// The simulated plant: the plant's own flowsheet, resolved in time.
///
/// Every figure comes from the plant's parameters through ``SimulatedPlantDesign``: the production flow, the
/// DLE cycle (``DLECycle``), the breakthrough of its columns (the plant column's front, placed at its DLE model's
/// recovery), the RO, the refinery and their energies. The pump, temperatures and pressures follow first-order
/// lags; each DLE column runs its load / wash / elute cycle, staggered so that `loading` columns load at any time;
/// the spent wash returns to the feed; the eluate goes through the RO, whose permeate returns as eluent (topped
/// up with Li from the concentrate to the eluent's set point); the concentrate goes to a buffer tank whose level
/// the refinery's feed follows. At its nominal point the plant's means are the estimate's (tested for every
/// shipped plant). Li and water are conserved: ``lithiumBalanceError`` closes to rounding.
///
/// A step costs a few hundred floating-point operations per column and allocates nothing.
public struct PlantDynamics: Sendable {
    public let design: SimulatedPlantDesign
    /// The plant's parameters (``SimulatedPlantDesign/parameters``).
    public var parameters: FlowsheetParameters { design.parameters }
    /// Signal values by slot (`PlantSignal`), in catalogue units (L/s, °C, bar, mg/L, m³/h, kg/h, kW, kWh, %).
    public internal(set) var values: [Double]
    /// Simulated seconds since the start.
    public internal(set) var time: Double = 0
    public var disturbances = ProcessDisturbances()
    /// What the plant has moved since the start (per stream, on the estimate's boundaries).
    public internal(set) var accounts = PlantAccounts()

    let k: Constants
    // State
    var speedFraction = 1.0
    var wellheadTemperature: Double
    var columns: [ColumnState]
    /// Sorbent capacity relative to fresh.
    var health: Double
    var scalingDP = 0.0
    var refineryTank: Double  // m³ of concentrate
    var refineryTankLi: Double  // kg Li in the tank
    var productSilo: Double  // kg of product
    var condensateTank = 0.0  // m³ of condensate
    var spentWash: Double  // m³ in the spent-wash tank
    var spentWashLi: Double  // kg Li in it
    var energy = 0.0  // kWh
    /// Li in the eluent, kg/m³: set by the last elution step's permeate and dosing, used by the next.
    var eluentLithium: Double
    /// Last readings of analysers on lines that stop flowing: they hold the stagnant liquid's value.
    var heldEluateLi = 0.0, heldConcentrateLi = 0.0
    var columnModels: [ColumnSimulator]?
    /// The plant's column that ``columnModels`` simulate (its Li index and the chloride of each step).
    var plantColumn: PlantColumn?
    /// Column-model steps that failed (the column kept its state for that step); 0 in a healthy run.
    public internal(set) var columnModelFailures = 0
    /// Li the plant held at the start, kg: counted as Li in, so the balance closes from the first step.
    private(set) var initialLithium = 0.0

    /// One DLE column.
    struct ColumnState: Sendable {
        var clock: Double
        var phase = ColumnPhase.idle
        /// Bed volumes loaded past the pores this load.
        var loaded = 0.0
        /// Pore liquid displaced since the phase began, m³.
        var displaced = 0.0
        /// Li on the sorbent and in the pore liquid, kg.
        var sorbent = 0.0
        var pores = 0.0
        /// Li on the sorbent when the elution began, kg.
        var elutionBase = 0.0
    }

    /// Cumulative Li accounts, kg: what came in with the brine (and was held at the start) and where it went.
    public var lithiumIn: Double { initialLithium + accounts.brineLithium }
    public var lithiumReinjected: Double { accounts.raffinateLithium + accounts.permeateLithiumReinjected }
    public var lithiumToProduct: Double { accounts.productLithium }
    public var lithiumLost: Double { accounts.refiningLossLithium }
    /// Li held inside the plant (sorbent, pores, spent-wash and buffer tanks), kg.
    public var lithiumHeld: Double {
        var held = refineryTankLi + spentWashLi
        if let models = columnModels {
            let li = plantColumn?.lithium ?? 0
            for model in models { held += model.inventory(component: li) * AtomicWeight.lithium / 1000 }
        } else {
            for column in columns { held += column.sorbent + column.pores }
        }
        return held
    }
    /// Relative closure of the Li balance: |in − out − held| / in.
    public var lithiumBalanceError: Double {
        lithiumIn > 0
            ? abs(lithiumIn - lithiumReinjected - lithiumToProduct - lithiumLost - lithiumHeld) / lithiumIn : 0
    }

    /// Starts the plant at its nominal operating point (the estimate's steady state): the pump running, the
    /// columns staggered through their cycles and holding what they hold there, the buffer at its set point.
    public init(design: SimulatedPlantDesign = .reference) {
        precondition(design.columns >= 2, "a DLE train needs at least two columns")
        self.design = design
        let k = Constants(design)
        self.k = k
        values = [Double](repeating: 0, count: PlantSignal.names(columns: design.columns).count)
        wellheadTemperature = k.wellheadTemperature
        health = k.initialHealth
        eluentLithium = design.nominal.eluentLithium.kilogramsPerCubicMetre
        columns = (0..<design.columns).map { ColumnState(clock: Double($0) * k.cycle / Double(design.columns)) }
        refineryTank = design.parameters.refining.bufferSetpoint * k.bufferTank
        refineryTankLi = refineryTank * k.nominalRefineryConcentration
        productSilo = (k.siloDispatch + k.siloResidual) / 2 * k.silo
        spentWash = k.spentWashSetpoint * k.spentWashTank
        spentWashLi = spentWash * k.nominalSpentWashLithium
        if design.columnResolved {
            // Columns resolved by the column model start empty; the plant fills them.
            let column = DynamicSorption.column(for: design.parameters, cells: design.columnCells)
            plantColumn = column
            columnModels = (0..<design.columns).map { _ in
                column.simulator(tolerances: ColumnTolerances(relative: 1e-4, absolute: 1e-6))
            }
            for i in columns.indices { columns[i].phase = k.phase(columns[i].clock) }
        } else {
            for i in columns.indices { columns[i] = k.nominalState(clock: columns[i].clock) }
        }
        initialLithium = lithiumHeld
        step(0)
    }

    public subscript(_ signal: PlantSignal) -> Double { values[signal.rawValue] }
    public subscript(_ signal: PlantSignal.Column, column column: Int) -> Double {
        values[PlantSignal.slot(signal, column: column)]
    }

    @inline(__always) mutating func set(_ signal: PlantSignal, _ value: Double) {
        values[signal.rawValue] = value
    }

    @inline(__always) func lag(_ dt: Double, _ tau: Double) -> Double {
        tau > 0 ? 1 - exp(-dt / tau) : 1
    }
}
