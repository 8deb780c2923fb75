/// How fast simulated time runs against the wall clock.
public enum SimulationSpeed: Sendable, Hashable, CustomStringConvertible {
    /// `factor` simulated seconds per wall second (1 = real time, 60 = a simulated minute per second).
    case factor(Double)
    /// No pacing: steps run back to back.
    case asFastAsPossible

    public static let realTime = SimulationSpeed.factor(1)

    public var description: String {
        switch self {
        case .factor(let f): f == 1 ? "real time" : "×\(f)"
        case .asFastAsPossible: "as fast as possible"
        }
    }
}

/// Paces a `PlantSimulation` against a clock with absolute deadlines (no drift), and hands each new state
/// to `publish` (e.g. to update the Modbus register stores).
///
/// Step n is due at `start + n × step / speed`. When the runner falls behind it runs the due steps back to
/// back and publishes once, so a fast simulation never queues work; a publish costs one register update
/// per device, not one per step. Determinism does not depend on pacing: the sequence of states is the same
/// at any speed.
public struct SimulationRunner<C: Clock>: Sendable where C.Duration == Duration {
    public var speed: SimulationSpeed
    public let clock: C
    /// Longest wall time between two publishes when running as fast as possible.
    public var publishInterval: Duration = .milliseconds(50)

    public init(speed: SimulationSpeed, clock: C) {
        self.speed = speed
        self.clock = clock
    }

    /// Runs until `duration` simulated seconds have passed (or forever), or the task is cancelled.
    /// - Parameters:
    ///   - everyStep: called after every step (recording, event logs); keep it cheap.
    ///   - publish: called with the simulation after each batch of steps, and once at the end.
    /// - Returns: the simulation at the end.
    public func run(_ simulation: PlantSimulation, for duration: Double?,
                    everyStep: (borrowing PlantSimulation) throws -> Void = { _ in },
                    publish: (borrowing PlantSimulation) async throws -> Void) async throws -> PlantSimulation {
        var simulation = simulation
        let startTime = simulation.time
        let endTime = duration.map { startTime + $0 }
        let start = clock.now
        var steps = 0
        func finished() -> Bool { endTime.map { simulation.time >= $0 - 1e-9 } ?? false }
        while !finished() {
            try Task.checkCancellation()
            switch speed {
            case .asFastAsPossible:
                let batchEnd = clock.now.advanced(by: publishInterval)
                repeat {
                    simulation.step()
                    try everyStep(simulation)
                    steps += 1
                } while !finished() && (steps % 256 != 0 || clock.now < batchEnd)
                try await publish(simulation)
                await Task.yield()
            case .factor(let factor):
                precondition(factor > 0, "speed must be positive")
                // Run every step that is due now, then sleep until the next one is.
                let elapsed = start.duration(to: clock.now)
                let due = Int((elapsed.seconds * factor / simulation.stepSize).rounded(.down))
                var ran = false
                while steps < due && !finished() {
                    simulation.step()
                    try everyStep(simulation)
                    steps += 1
                    ran = true
                }
                if ran { try await publish(simulation) }
                if finished() { break }
                let next = start.advanced(by: .seconds(Double(steps + 1) * simulation.stepSize / factor))
                try await clock.sleep(until: next, tolerance: nil)
            }
        }
        try await publish(simulation)
        return simulation
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
