import Modbus
import Testing

@Suite struct ReconnectPolicyTests {
    typealias Policy = ReconnectPolicy<ContinuousClock.Instant>

    @Test func connectsThenProceeds() {
        var policy = Policy()
        let now = ContinuousClock.now
        #expect(policy.nextAction(now: now) == .connect)
        policy.connected()
        #expect(policy.nextAction(now: now) == .proceed)
    }

    @Test func backoffGrowsExponentiallyUpToTheCapWithJitterInBounds() {
        var policy = Policy(base: .milliseconds(100), cap: .seconds(5), jitter: 0.5, seed: 7)
        for failures in 1...12 {
            let nominal = min(5.0, 0.1 * Double(1 << (failures - 1)))
            for _ in 0..<50 {
                let delay = policy.delay(afterFailures: failures)
                let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) * 1e-18
                #expect(seconds <= nominal + 1e-6 && seconds >= nominal * 0.5 - 1e-6, "failures \(failures): \(seconds)")
            }
        }
    }

    @Test func waitsUntilTheBackoffEndsThenRetries() {
        var policy = Policy(base: .seconds(1), cap: .seconds(8), jitter: 0)
        let t0 = ContinuousClock.now
        _ = policy.nextAction(now: t0)
        let until = policy.failed(now: t0)
        #expect(until == t0.advanced(by: .seconds(1)))
        #expect(policy.nextAction(now: t0.advanced(by: .milliseconds(500))) == .wait(until: until))
        #expect(policy.nextAction(now: until) == .connect)
        #expect(policy.failed(now: until) == until.advanced(by: .seconds(2)))
        policy.connected()
        #expect(policy.consecutiveFailures == 0)
        policy.disconnected()
        #expect(policy.nextAction(now: until) == .connect, "a link that worked is retried at once")
    }

    @Test func sameSeedSameJitterDifferentSeedDifferent() {
        var a = Policy(seed: 1), b = Policy(seed: 1), c = Policy(seed: 2)
        let da = (1...10).map { a.delay(afterFailures: $0) }
        #expect(da == (1...10).map { b.delay(afterFailures: $0) })
        #expect(da != (1...10).map { c.delay(afterFailures: $0) })
    }
}
