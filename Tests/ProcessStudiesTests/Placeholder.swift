import Testing
import PlantConfig
import ProcessModel
@testable import ProcessStudies

@Test func debugAttribution() throws {
    let plant = try PlantLoader.load(path: "/work/wt-sweep/PlantConfigs/rittershoffen.yaml")
    let a = try Flowsheet.solve(try plant.flowsheetParameters())
    let b = try Flowsheet.solve(try plant.flowsheetParameters(overrides: [("refining.yield", "0.7")]))
    for comp in StageAttribution.model("fresh_water_m3_per_t", section: "water", a, b) {
        print(comp.map { "\($0.stage) \($0.what) \($0.base) \($0.other) \($0.exponent)" })
    }
    print(StageAttribution.contributions("fresh_water_m3_per_t", section: "water", a, b).map { ($0.stage, $0.share) })
}
