import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel

/// The steps of `geolith estimate`'s `run()`: the plant's parameters with `--set`, the DLE models side by side,
/// the dynamic column's coupling, and the solved flowsheet with its projection.
extension EstimateCommand {
    /// The flowsheet parameters of `plant` with `overrides`, with a note on standard error for each override the
    /// active DLE model does not use; a bad override is a command error.
    static func parameters(of plant: Plant, overrides: [(key: String, value: String)]) throws -> FlowsheetParameters {
        let parameters: FlowsheetParameters
        do {
            parameters = try plant.flowsheetParameters(overrides: overrides)
        } catch let error as ProcessParameterError {
            throw ModelCommandError(kind: .badOverride, message: "--set: \(error.message)")
        }
        for notice in ProcessParameterCatalogue.unusedNotices(for: overrides.map(\.key), in: parameters) {
            print("note: \(notice)", to: &standardError)
        }
        return parameters
    }

    /// The specified, equilibrium and dynamic DLE models of `parameters` side by side.
    static func modelComparison(of plant: Plant, _ parameters: FlowsheetParameters) throws -> DLEModelComparison {
        do {
            return try DLEModelComparison(parameters)
        } catch let error as FlowsheetError {
            throw ValidationError("\(plant.id): \(error.message)")
        }
    }

    /// `parameters` with the dynamic column's cyclic steady state coupled in (under `dle.model dynamic`, with a
    /// line on standard error saying how it settled).
    static func coupledWithDynamicColumn(_ parameters: FlowsheetParameters) throws -> FlowsheetParameters {
        let (coupled, dynamic) = try DynamicSorption.couple(parameters)
        if let dynamic {
            print("dle.model dynamic: column cyclic steady state after \(dynamic.cycles) cycles"
                + (dynamic.converged ? "" : " (NOT converged)") + ", per-pass recovery "
                + String(format: "%.2f %%", dynamic.perPassRecovery * 100) + ", eluate "
                + String(format: "%.0f mg/L Li", dynamic.eluateLithium) + ", mass balance "
                + String(format: "%.1e", dynamic.massBalanceError), to: &standardError)
        }
        return coupled
    }

    /// The steady state of `parameters` and, with `years`, the production projection; a flowsheet that does not
    /// converge or cannot be solved is a command error naming the plant.
    static func solved(_ plant: Plant, _ parameters: FlowsheetParameters, years: Int?) throws
        -> (FlowsheetResult, [ProjectionYear]) {
        do {
            return (try Flowsheet.solve(parameters), try years.map { try Flowsheet.project(parameters, years: $0) } ?? [])
        } catch let error as FlowsheetError {
            throw ModelCommandError(kind: error.kind == .notConverged ? .notConverged : .invalidDescription,
                                    message: "\(plant.id): \(error.message)")
        }
    }
}
