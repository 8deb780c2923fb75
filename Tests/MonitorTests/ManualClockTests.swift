import Testing
import Timekeeping

/// The manual clock the daemon's tests drive, the wall-clock `Timestamp` and the Duration conversions.
struct ManualClockTests {
    /// Records the order sleepers woke in.
    actor Order {
        var woken: [Int] = []
        func append(_ n: Int) { woken.append(n) }
    }

    @Test func sleepersWakeInDeadlineOrderOnlyWhenTheClockReachesThem() async throws {
        let clock = ManualClock()
        let order = Order()
        let tasks = [300, 100, 200].map { ms in
            Task {
                try await clock.sleep(until: clock.now.advanced(by: .milliseconds(ms)), tolerance: nil)
                await order.append(ms)
            }
        }
        #expect(await clock.settle(sleepers: 3))
        #expect(clock.nextDeadline == ManualClock.Instant(offset: .milliseconds(100)))
        clock.advance(by: .milliseconds(99))
        #expect(clock.sleepers == 3, "nobody wakes before their deadline")
        clock.advance(by: .milliseconds(1))
        #expect(await clock.settle(sleepers: 2))
        try await tasks[1].value
        #expect(await order.woken == [100])
        clock.advance(to: ManualClock.Instant(offset: .seconds(1)))
        for task in tasks { try await task.value }
        #expect(Set(await order.woken) == [100, 200, 300])
        #expect(clock.sleepers == 0 && clock.now == ManualClock.Instant(offset: .seconds(1)))
        // A deadline already past returns at once; the clock never goes back.
        try await clock.sleep(until: ManualClock.Instant(offset: .milliseconds(5)), tolerance: nil)
        clock.advance(to: .init(offset: .zero))
        #expect(clock.now.offset == .seconds(1))
    }

    @Test func aCancelledSleeperThrowsAndLeavesTheClock() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(60)) }
        #expect(await clock.settle(sleepers: 1))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleepers == 0)
    }

    @Test func wallTimeFollowsTheClockInMilliseconds() {
        let clock = ManualClock()
        let wall = clock.wallTime(epoch: Timestamp(milliseconds: 1_767_225_600_000))
        #expect(wall.now().milliseconds == 1_767_225_600_000)
        clock.advance(by: .microseconds(2_999_900))
        #expect(wall.now().milliseconds == 1_767_225_602_999, "rounded down")
    }

    @Test func timestampsAndDurations() {
        let t = Timestamp(milliseconds: 1_000)
        #expect(t.advanced(by: .microseconds(1_600)).milliseconds == 1_002, "rounded to the nearest ms")
        #expect(t.duration(to: Timestamp(milliseconds: 3_500)) == .milliseconds(2_500))
        #expect(Duration.milliseconds(1_999).seconds == 1.999)
        #expect(Duration.microseconds(1_999).wholeMilliseconds == 1)
        #expect(Duration.microseconds(1_500).roundedMilliseconds == 2)
        #expect(Duration.seconds(2).wholeNanoseconds == 2_000_000_000)
        let now = Timestamp.now
        #expect(abs(SystemWallTime().now().milliseconds - now.milliseconds) < 60_000)
        #expect(Timestamp(now.date) == now)
    }
}
