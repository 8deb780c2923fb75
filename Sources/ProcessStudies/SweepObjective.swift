import ProcessModel
public import Reporting

/// The KPI a sweep's report ranks points by, and whether more or less is better: `--objective KPI[:max|min]`.
public struct SweepObjective: Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var goal: Goal

    /// The default: lithium produced per year, more is better.
    public static let lithiumYield = SweepObjective(key: "li_t_per_year", goal: .maximise)

    public init(key: String, goal: Goal) {
        self.key = key
        self.goal = goal
    }

    /// Reads `KPI`, `KPI:max` or `KPI:min`. Without a goal, water, energy, CO2, reagents and balance closures
    /// are minimised and everything else maximised.
    ///
    /// - Throws: ``StudyError`` for a KPI not among `keys` (with the closest) or a goal other than max or min.
    public init(parsing text: String, among keys: [String]) throws(StudyError) {
        let parts = text.split(separator: ":", maxSplits: 1).map { String($0).trimmingSpaces }
        guard let key = parts.first, !key.isEmpty else {
            throw StudyError(.invalidInput, "--objective: give a KPI key")
        }
        guard keys.contains(key) else {
            throw StudyError(
                .unknownKey, "--objective: unknown KPI \"\(key)\"" + KeySuggestions.hint(for: key, among: keys))
        }
        self.key = key
        if parts.count == 2 {
            guard let goal = Goal(rawValue: parts[1].lowercased()) else {
                throw StudyError(.invalidInput, "--objective \(text): the goal is max or min, not \"\(parts[1])\"")
            }
            self.goal = goal
        } else {
            let smallerIsBetter = [
                "fresh_water", "wash_water", "eluent_makeup", "refinery_water", "electricity",
                "energy_", "co2_", "reagent_", "iterations", "li_balance", "water_balance",
            ]
            goal = smallerIsBetter.contains { key.hasPrefix($0) } ? .minimise : .maximise
        }
    }

    /// Whether `a` is a better value than `b` (NaN is never better).
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        guard a.isFinite else { return false }
        guard b.isFinite else { return true }
        return goal == .maximise ? a > b : a < b
    }

    public var description: String { key + ":" + goal.rawValue }
}
