import Foundation
import ProcessModel

/// One varied key of a column experiment sweep, read from `--vary`: any key path of the experiment file
/// (`steps.load.end.bed_volumes=10:30:5`, `binding.Li.gamma_m3_per_mol=1e-3:4e-3`, `binding.kinetics=kinetic,ldf`).
///
/// - `key=from:to:steps`: `steps` evenly spaced values (a grid axis);
/// - `key=from:to`: the interval, sampled by a Latin hypercube (`--samples N`);
/// - `key=v1,v2,…`: these values, numbers or words.
///
/// Numbers may carry a unit, written as the file writes it (`steps.load.inlet.Li=100 mg/L:300 mg/L:3`); a
/// range's two ends must carry the same unit. Whether a value suits its key is checked point by point, when
/// the experiment is read with it.
public struct ExperimentDimension: Sendable, Hashable {
    public enum Values: Sendable, Hashable {
        case range(from: Double, to: Double, steps: Int?)
        case listed([String])
    }

    public let key: String
    public let values: Values
    /// The unit written after range values (`mg/L`), or empty.
    public let unit: String

    /// Parses one `--vary` value.
    ///
    /// - Throws: ``StudyError`` for a missing `=`, an empty or malformed value, steps below 1, or a range whose
    ///   ends carry different units.
    public init(parsing text: String) throws(StudyError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw StudyError(.invalidInput, "--vary \(text): expected key=from:to:steps, key=from:to or key=v1,v2,…")
        }
        key = String(text[..<equals]).trimmingSpaces
        let spec = String(text[text.index(after: equals)...]).trimmingSpaces
        guard !key.isEmpty, !spec.isEmpty else { throw StudyError(.invalidInput, "--vary \(text): no key or no values") }
        guard spec.contains(":") else {
            let items = spec.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard !items.contains(where: \.isEmpty), Set(items).count == items.count else {
                throw StudyError(.invalidInput, "--vary \(text): an empty or repeated value")
            }
            values = .listed(items)
            unit = ""
            return
        }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard parts.count == 2 || parts.count == 3 else {
            throw StudyError(.invalidInput, "--vary \(text): expected from:to:steps or from:to")
        }
        let (from, fromUnit) = try Self.number(parts[0], text), (to, toUnit) = try Self.number(parts[1], text)
        guard fromUnit == toUnit || toUnit.isEmpty || fromUnit.isEmpty else {
            throw StudyError(.invalidInput, "--vary \(text): the ends carry different units (\(fromUnit), \(toUnit))")
        }
        unit = fromUnit.isEmpty ? toUnit : fromUnit
        var steps: Int?
        if parts.count == 3 {
            guard let count = Int(parts[2]), count >= 1, count <= 1_000_000, count > 1 || from == to else {
                throw StudyError(.invalidInput, "--vary \(text): steps must be a whole number from 1 to 1,000,000 (1 only when from = to)")
            }
            steps = count
        }
        values = .range(from: from, to: to, steps: steps)
    }

    private static func number(_ text: String, _ whole: String) throws(StudyError) -> (Double, String) {
        let (value, unit) = text.leadingNumberAndUnit
        guard let value else { throw StudyError(.invalidInput, "--vary \(whole): \"\(text)\" is not a number") }
        return (value, unit)
    }

    /// Values on a grid, or `nil` for an interval only a sample can cover.
    public var gridCount: Int? {
        switch values {
        case let .range(_, _, steps): steps
        case let .listed(items): items.count
        }
    }

    /// The text written into the file for grid value `i`.
    public func gridText(_ i: Int) -> String {
        switch values {
        case let .range(from, to, steps):
            guard let steps, steps > 1 else { return text(from) }
            return text(i == steps - 1 ? to : from + (to - from) * Double(i) / Double(steps - 1))
        case let .listed(items): return items[i]
        }
    }

    /// The text written into the file at `u` in [0, 1) of the dimension's extent (a Latin hypercube coordinate).
    public func sampledText(_ u: Double) -> String {
        switch values {
        case let .range(from, to, _): return text(from + (to - from) * u)
        case let .listed(items): return items[min(Int(u * Double(items.count)), items.count - 1)]
        }
    }

    private func text(_ value: Double) -> String {
        let number = Double(String(format: "%.12g", value)).map { "\($0)" } ?? "\(value)"
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    /// The CSV column title: the key, with the unit of a range.
    public var columnTitle: String { unit.isEmpty ? key : "\(key) [\(unit)]" }
}
