import PlantConfig
import ProcessModel
import ProcessStudies
import Testing

/// `--set` overrides commute: the catalogue's order is applied, together with the plant file's own values, so
/// any order of the command line gives the same plant; and the same overrides give the same KPIs through
/// `estimate` (``Plant/flowsheetParameters(overrides:)``), a sweep point and a compare variant.
@Suite struct OverrideOrderTests {
    /// Overrides that interact: a route resets the yield, a sorbent type resets the capacity, giving a recovery
    /// selects the specified model which an explicit model overrides.
    static let overrides: [(key: String, value: String)] = [
        ("refining.yield", "1"), ("refining.route", "li2co3_soda_ash"), ("sorbent.type", "LMO"),
        ("sorbent.capacity_mg_per_g", "7"), ("dle.recovery", "0.8"), ("dle.model", "equilibrium"),
    ]

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[T]] in
            var rest = items
            let first = rest.remove(at: i)
            return permutations(rest).map { [first] + $0 }
        }
    }

    static func kpis(_ p: FlowsheetParameters) throws -> [String: Double] {
        let result = try Flowsheet.solve(p)
        var values: [String: Double] = [:]
        for kpi in FlowsheetKPI.all { values[kpi.key] = kpi.value(in: result) }
        return values
    }

    @Test(arguments: ["insheim", "rittershoffen"])
    func everyOrderGivesTheSamePlant(name: String) throws {
        let plant = try PlantLoader.load(path: SweepSupport.plantPath(name))
        let reference = try plant.flowsheetParameters(overrides: Self.overrides)
        #expect(reference.refining.yield == 1, "the route is applied before the yield, whatever the order")
        #expect(reference.dle.sorbent.capacity == 7 && reference.dle.sorbent.family == .manganeseOxide)
        #expect(reference.dle.model == .equilibrium && reference.dle.specifiedRecovery == 0.8)
        let orders = Self.permutations(Self.overrides)
        #expect(orders.count == 720)
        for order in orders {
            #expect(try plant.flowsheetParameters(overrides: order) == reference, "\(order.map(\.key))")
        }
    }

    /// The case: Insheim with `refining.yield=1` and `refining.route=li2co3_soda_ash` refines 100 % in
    /// either order, and a route on the command line does not undo the file's own yield.
    @Test func routeAndYieldInEitherOrder() throws {
        let plant = try PlantLoader.load(path: SweepSupport.plantPath("insheim"))
        let a = try plant.flowsheetParameters(overrides: [("refining.yield", "1"), ("refining.route", "li2co3_soda_ash")])
        let b = try plant.flowsheetParameters(overrides: [("refining.route", "li2co3_soda_ash"), ("refining.yield", "1")])
        #expect(a == b && a.refining.yield == 1)
        // The file says yield 0.9 with lhm_electrolysis; another route keeps the file's yield, as if the file
        // had named that route.
        let routeOnly = try plant.flowsheetParameters(overrides: [("refining.route", "li2co3_soda_ash")])
        #expect(routeOnly.refining.yield == 0.9)
    }

    /// The same overrides through `estimate`, a sweep point and a compare variant: identical KPIs.
    @Test(arguments: [[0, 1], [1, 0]])
    func estimateSweepAndCompareAgree(order: [Int]) throws {
        let name = "insheim"
        let plant = try PlantLoader.load(path: SweepSupport.plantPath(name))
        let set: [(key: String, value: String)] = order.map { [("refining.yield", "1"), ("sorbent.type", "LMO")][$0] }
        let estimate = try Self.kpis(try plant.flowsheetParameters(overrides: set + [("refining.route", "li2co3_soda_ash")]))
        #expect(estimate["recovery_refining"].map { abs($0 - 100) < 1e-9 } == true)

        // A sweep point: the same --set, the route varied (the point with li2co3_soda_ash).
        let definition = try SweepSupport.definition(
            ["refining.route=lhm_electrolysis,li2co3_soda_ash"], settings: set, plant: name)
        let table = try #require(SweepSupport.run(definition, jobs: 1, keepTable: true).summary.table)
        for (key, value) in estimate {
            let column = try #require(table.column(key), "sweep has \(key)")
            #expect(column[1] == value || (column[1].isNaN && value.isNaN), "sweep \(key): \(column[1]) vs \(value)")
        }

        // A compare variant that sets the route on top of the same --set.
        let comparison = try PlantComparison([
            (name, "file", try plant.flowsheetParameters(overrides: set)),
            ("soda", "variant", try plant.flowsheetParameters(overrides: set + [("refining.route", "li2co3_soda_ash")])),
        ])
        for (key, value) in estimate {
            let row = try #require(comparison.row(key))
            #expect(row.values[1] == value, "compare \(key): \(String(describing: row.values[1])) vs \(value)")
        }
    }
}
