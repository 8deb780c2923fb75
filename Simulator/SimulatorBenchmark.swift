/// Measures how fast the simulation runs, for `geolith bench simulate`.
public enum SimulatorBenchmark {
    /// Steps `simulation` for `seconds` simulated seconds as fast as possible and returns the wall time, s.
    public static func timeSteps(_ simulation: inout PlantSimulation, seconds: Double, clock: ContinuousClock = .init()) -> Double {
        let steps = Int((seconds / simulation.stepSize).rounded())
        let start = clock.now
        for _ in 0..<steps { simulation.step() }
        return start.duration(to: clock.now).seconds
    }
}
