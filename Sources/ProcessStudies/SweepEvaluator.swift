import ProcessModel

/// How one point of a sweep ended.
public enum SweepStatus: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Solved; the KPIs are in the row (warnings, if any, in its `warnings` column).
    case ok
    /// The combination of parameters is not valid (a value out of range, a wash as large as the load…).
    case invalid
    /// The recycles did not converge.
    case notConverged
    /// Anything else (the column model failed).
    case failed

    public var description: String {
        switch self {
        case .ok: return "ok"
        case .invalid: return "invalid"
        case .notConverged: return "not_converged"
        case .failed: return "failed"
        }
    }

    public init?(text: String) {
        guard let status = Self.allCases.first(where: { $0.description == text }) else { return nil }
        self = status
    }
}

/// Evaluates sweep points: sets a point's values on the prepared parameters, couples the column model when the
/// point's DLE model is `dynamic`, solves the flowsheet and reads every KPI, without making text for a point
/// that succeeds. A value type: each worker thread has its own copy.
struct SweepEvaluator: Sendable {
    /// One assignment of the per-point program.
    enum Step: Sendable {
        case fixed(ProcessParameter, number: Double?, word: String?)
        case dimension(Int)
    }

    /// The outcome of one point; text only for failures.
    struct Outcome: Sendable {
        var status: SweepStatus
        var warnings: FlowsheetWarnings = []
        var columnConverged = true
        var error: String?
    }

    let plan: SweepPlan
    /// The plant with every assignment that comes before the first varied one already applied.
    let prepared: FlowsheetParameters
    /// The assignments left for each point, in application order.
    let program: [Step]
    let kpis: [FlowsheetKPI]
    /// Reagent column (after the KPIs) of each reagent name.
    let reagentColumns: [String: Int]
    let reagentKeys: [String]
    /// Cells of the column model for `dle.model: dynamic`.
    let cells: Int

    /// KPI and reagent values per point.
    var valueCount: Int { kpis.count + reagentKeys.count }

    /// Whether some point may run the (slow) column model.
    let mayRunColumnModel: Bool
    /// Per dimension, worked out once so the per-point loop copies no ``SweepDimension``: its parameter, and
    /// its words when it is a choice.
    let parameters: [ProcessParameter]
    let words: [[String]?]

    init(
        plan: SweepPlan, prepared: FlowsheetParameters, program: [Step], kpis: [FlowsheetKPI],
        reagentColumns: [String: Int], reagentKeys: [String], cells: Int, mayRunColumnModel: Bool
    ) {
        self.plan = plan
        self.prepared = prepared
        self.program = program
        self.kpis = kpis
        self.reagentColumns = reagentColumns
        self.reagentKeys = reagentKeys
        self.cells = cells
        self.mayRunColumnModel = mayRunColumnModel
        parameters = plan.dimensions.map(\.parameter)
        words = plan.dimensions.map { $0.isChoice ? $0.words : nil }
    }

    /// Evaluates point `i`, writing its inputs (numbers, or word indices) and KPI values (NaN where none).
    func evaluate(_ i: Int, inputs: inout [Double], values: inout [Double]) -> Outcome {
        for d in 0..<inputs.count { inputs[d] = plan.value(point: i, dimension: d) }
        for k in 0..<values.count { values[k] = .nan }
        var p = prepared
        do {
            for step in program {
                switch step {
                case let .fixed(parameter, number, word):
                    if let number { try parameter.set(number, in: &p) } else { try parameter.set(word ?? "", in: &p) }
                case let .dimension(d):
                    if let words = words[d] {
                        try parameters[d].set(words[Int(inputs[d])], in: &p)
                    } else {
                        try parameters[d].set(inputs[d], in: &p)
                    }
                }
            }
        } catch {
            return Outcome(status: .invalid, error: error.message)
        }
        var outcome = Outcome(status: .ok)
        if p.dle.model == .dynamic {
            do {
                try p.validate(pendingDynamic: true)
                let (coupled, summary) = try DynamicSorption.couple(p, cells: cells)
                p = coupled
                outcome.columnConverged = summary?.converged ?? true
            } catch let error as FlowsheetError {
                return Outcome(status: .invalid, error: error.message)
            } catch {
                return Outcome(status: .failed, error: "column model: \(error)")
            }
        }
        do {
            let result = try Flowsheet.solve(p)
            for k in 0..<kpis.count { values[k] = kpis[k].value(in: result) ?? .nan }
            if !reagentKeys.isEmpty {
                for reagent in result.reagentsPerTonne {
                    if let column = reagentColumns[reagent.name] { values[column] = reagent.tonnesPerTonne }
                }
            }
            outcome.warnings = result.warnings
            return outcome
        } catch {
            return Outcome(status: error.kind == .notConverged ? .notConverged : .invalid, error: error.message)
        }
    }

    /// Short, stable names of the flowsheet's warnings for the `warnings` column.
    static let warningNames: [(FlowsheetWarnings, String)] = [
        (.inletOutsideSorbentWindow, "inlet_outside_sorbent_window"),
        (.loadExceedsCapacity, "load_exceeds_capacity"),
        (.specifiedRecoveryAboveEquilibrium, "specified_recovery_above_equilibrium"),
        (.refineryAtNameplate, "refinery_at_nameplate"),
        (.yieldAboveSolubilityLimit, "yield_above_solubility_limit"),
        (.densityExtrapolated, "density_extrapolated"),
        (.dleAboveDesign, "dle_above_design"),
        (.concentrationAboveDesign, "concentration_above_design"),
    ]
}
