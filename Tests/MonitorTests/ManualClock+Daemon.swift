import Timekeeping

extension ManualClock {
    /// Waits (real time, bounded) until `count` tasks sleep on the clock: the code driven by it has done all that was
    /// due and waits for time to move.
    func settle(sleepers count: Int, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if sleepers == count { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return sleepers == count
    }

    /// Moves the clock on deadline by deadline, each time once the `sleepers` tasks driven by it are idle, until
    /// `condition` holds or `limit` of clock time has passed.
    /// - Returns: whether `condition` held (false also when the tasks did not settle).
    func run(sleepers count: Int, for limit: Duration, until condition: () -> Bool = { false }) async -> Bool {
        let end = now.advanced(by: limit)
        while true {
            guard await settle(sleepers: count) else { return false }
            if condition() { return true }
            guard let next = nextDeadline, next <= end else {
                advance(to: end)
                return await settle(sleepers: count) && condition()
            }
            advance(to: next)
        }
    }
}
