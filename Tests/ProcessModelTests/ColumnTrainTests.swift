import Numerics
import Testing

@testable import ProcessModel

/// The lead–lag carousel.
@Suite struct ColumnTrainTests {
    @Test func leadLagCarouselRotatesAndConservesMass() throws {
        let li = ColumnBinding(capacity: 1037.31, affinity: 0.15, ldfRate: 5e-3)
        let model = ColumnModel(
            geometry: ColumnGeometry(length: 1, area: 0.01, voidage: 0.4), dispersion: 5e-6,
            isotherm: ColumnIsotherm(components: [li], kinetics: .linearDrivingForce), cells: 12)
        let feed = 25.9329, velocity = 10.0 / 3600
        var train = ColumnTrain(column: model, seriesCount: 2, tolerances: ColumnTolerances(relative: 1e-6), concentrationScale: feed, sampleInterval: 20)
        // Counter-current elution, so that the outlet end of the bed, which becomes the lag's
        // outlet next, is the cleanest part.
        let water = ColumnFlow(superficialVelocity: velocity, inlet: [0], reversed: true)
        let cycles = try train.run(
            load: ColumnFlow(superficialVelocity: velocity, inlet: [feed]),
            loadEnd: .breakthrough(component: 0, fraction: 0.05, maximumDuration: 40_000),
            elution: [ColumnStep(name: "elute", kind: .elute, flow: water, end: .bedVolumes(30))], rotations: 4)
        #expect(cycles.count == 4)
        for cycle in cycles {
            #expect(cycle.kpis.massBalanceError < 1e-6, "rotation \(cycle.index): \(cycle.kpis.massBalanceError)")
            #expect(cycle.steps[0].breakthroughReached)
            // Two columns in series lose little: at most a few percent of the feed leaves with
            // the raffinate before the 5 % breakthrough of the lag.
            #expect(cycle.kpis.loaded / cycle.kpis.fed > 0.97)
        }
        // The first rotation starts with two clean columns and loads about twice as long as
        // later ones, which start with a loaded lead.
        #expect(cycles[0].steps[0].end - cycles[0].steps[0].start > 1.5 * (cycles[2].steps[0].end - cycles[2].steps[0].start))
        // Every column has been the eluting one after three rotations; the order has turned.
        #expect(train.order == [1, 2, 0])
        // From the third rotation on, the eluting column is a former lead: it releases lithium.
        #expect(cycles[2].kpis.eluted > 0.5 * cycles[2].kpis.loaded)
        // The train outlet never exceeds the breakthrough threshold by more than the event tolerance.
        let highest = train.trainOutlet.map { $0.concentrations[0] / feed }.max() ?? 0
        #expect(highest <= 0.05 * 1.001, "train outlet reached \(highest) of feed")
    }
}
