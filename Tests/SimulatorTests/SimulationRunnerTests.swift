import RegisterVocabulary
import Simulator
import Testing

@Suite struct SimulationRunnerTests {
    static let tags = [SimulatedTag(name: "FT", device: "d", table: .input, address: 0, dataType: .float32,
                                    unit: "L/s", range: 0...100, signal: "production.flow")]

    @Test func acceleratedRunKeepsPaceWithoutDrift() async throws {
        let simulation = try PlantSimulation(tags: Self.tags)
        let runner = SimulationRunner(speed: .factor(600), clock: ContinuousClock())
        let clock = ContinuousClock()
        let start = clock.now
        var publishes = 0
        let end = try await runner.run(simulation, for: 120) { _ in publishes += 1 }
        let wall = start.duration(to: clock.now)
        #expect(end.time == 120)
        // 120 simulated seconds at ×600 are due over 0.2 s of wall time: never earlier.
        #expect(wall >= .milliseconds(195), "ran ahead of the clock: \(wall)")
        #expect(publishes >= 2)
    }

    @Test func asFastAsPossibleGivesTheSameStatesAsPaced() async throws {
        let simulation = try PlantSimulation(tags: Self.tags, seed: 5)
        let fast = try await SimulationRunner(speed: .asFastAsPossible, clock: ContinuousClock()).run(simulation, for: 300) { _ in }
        let paced = try await SimulationRunner(speed: .factor(3000), clock: ContinuousClock()).run(simulation, for: 300) { _ in }
        #expect(fast.time == 300 && paced.time == 300)
        #expect(fast.served == paced.served)
        #expect(fast.plant.values == paced.plant.values)
    }

    @Test func cancellationStopsAnEndlessRun() async throws {
        let simulation = try PlantSimulation(tags: Self.tags)
        let task = Task {
            try await SimulationRunner(speed: .factor(10), clock: ContinuousClock()).run(simulation, for: nil) { _ in }
        }
        // Let the run get going (any delay will do: cancellation must stop it whenever it comes).
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
