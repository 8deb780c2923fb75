import Monitor
import Testing
import Timekeeping

/// The scan scheduler's decisions, stepped on a manual clock's instants: group periods, overruns, a device down
/// and probed on its backoff, recovery, the on-delay of DEVICE_DOWN, and the ticker's place among scans.
struct ScanSchedulerTests {
    typealias Scheduler = ScanScheduler<ManualClock.Instant>

    static func at(_ ms: Int64) -> ManualClock.Instant { ManualClock.Instant(offset: .milliseconds(ms)) }

    static func scheduler(periods: [Duration], downDelay: Duration = .seconds(2), tick: Duration? = nil,
                          base: Duration = .milliseconds(250), cap: Duration = .seconds(30)) -> Scheduler {
        Scheduler(devices: [.init(periods: periods, downDelay: downDelay, seed: Scheduler.jitterSeed(device: "d"))], start: at(0),
                  backoffBase: base, backoffCap: cap, tick: tick)
    }

    /// Runs the scheduler as a driver would, jumping to each deadline, until `end`; every read succeeds unless
    /// `fails` says otherwise. Returns what it did, as text with the instant in ms.
    static func trace(_ scheduler: inout Scheduler, until end: Int64, fails: (Int64) -> Bool = { _ in false }) -> [String] {
        var log: [String] = []
        while let due = scheduler.nextDeadline, due <= at(end) {
            let ms = due.offset.wholeMilliseconds
            switch scheduler.next(now: due) {
            case .wait(let until): log.append("\(ms) wait \(until.offset.wholeMilliseconds)")
            case .tick: log.append("\(ms) tick")
            case .downDelayEnds(let d): log.append("\(ms) down-delay \(d)")
            case .skip(_, let g, _): log.append("\(ms) skip \(g)")
            case .read(_, let g, _, _):
                if fails(ms) {
                    scheduler.linkBroke(device: 0, at: due)
                    let outcome = scheduler.scanFailed(device: 0, now: due)
                    log.append("\(ms) read \(g) failed\(outcome.wentDown ? " down" : "")\(outcome.downDelayEnded ? " alarm" : "")")
                } else {
                    log.append("\(ms) read \(g)\(scheduler.scanSucceeded(device: 0, group: g, now: due) ? " up" : "")")
                }
            }
        }
        return log
    }

    @Test func groupsAreReadOnTheirPeriodsFromTheStart() {
        var scheduler = Self.scheduler(periods: [.milliseconds(100), .milliseconds(250)])
        #expect(Self.trace(&scheduler, until: 500) == [
            "0 read 0", "0 read 1", "100 read 0", "200 read 0", "250 read 1", "300 read 0", "400 read 0", "500 read 0", "500 read 1",
        ])
        // Asked early, it says how long to wait.
        #expect(scheduler.next(now: Self.at(510)) == .wait(until: Self.at(600)))
    }

    @Test func anOverrunIsCountedAndTheGridSkipsAhead() {
        var scheduler = Self.scheduler(periods: [.milliseconds(100)])
        #expect(scheduler.next(now: Self.at(0)) == .read(device: 0, group: 0, overrun: false, lateness: .zero))
        // The scan took 350 ms: the deadline of 100 ms is read late, once, and the next is 400 ms, not 200.
        #expect(scheduler.next(now: Self.at(350)) == .read(device: 0, group: 0, overrun: true, lateness: .milliseconds(250)))
        #expect(scheduler.nextDeadline == Self.at(400))
        // Late by less than a period is no overrun.
        #expect(scheduler.next(now: Self.at(450)) == .read(device: 0, group: 0, overrun: false, lateness: .milliseconds(50)))
        #expect(scheduler.nextDeadline == Self.at(500))
    }

    @Test func aDeviceDownIsProbedOnItsBackoffAndRecovers() {
        var scheduler = Self.scheduler(periods: [.milliseconds(100), .milliseconds(1000)], downDelay: .milliseconds(200),
                                       base: .milliseconds(250), cap: .seconds(1))
        // Down from 1000 ms to 3000 ms.
        let log = Self.trace(&scheduler, until: 4000) { $0 >= 1000 && $0 < 3000 }
        #expect(log.prefix(10) == ["0 read 0", "0 read 1", "100 read 0", "200 read 0", "300 read 0", "400 read 0", "500 read 0",
                                   "600 read 0", "700 read 0", "800 read 0"])
        #expect(log.contains("1000 read 0 failed down"))
        // DEVICE_DOWN's on-delay ends 200 ms after the first failed request, between scans.
        #expect(log.contains("1200 down-delay 0"))
        // Backing off: skips, and probes only after delays that grow from 250 ms (jitter ≤ 50 %) up to the 1 s cap.
        let probes = log.filter { $0.contains("failed") }.map { Int64($0.split(separator: " ")[0])! }
        #expect(probes.first == 1000 && probes.count >= 3 && probes.count <= 12, "\(probes)")
        let gaps = zip(probes.dropFirst(), probes).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 100 && $0 <= 1100 }, "\(gaps)")
        #expect(gaps.last! > gaps.first!, "the delays grow: \(gaps)")
        #expect(log.contains { $0.hasSuffix("skip 0") } && log.contains { $0.hasSuffix("skip 1") })
        // No probe while backing off: between two probes, only skips.
        let skipsBetween = log.drop { !$0.contains("failed") }.prefix { !$0.contains(" up") }
        #expect(skipsBetween.allSatisfy { $0.contains("failed") || $0.contains("skip") || $0.contains("down-delay") }, "\(skipsBetween)")
        // The first probe after the outage brings it back; every other group is read at once.
        let up = try! #require(log.firstIndex { $0.hasSuffix(" up") })
        let upAt = Int64(log[up].split(separator: " ")[0])!
        #expect(upAt >= 3000 && upAt <= 3000 + 1100, "\(log[up])")
        #expect(log[up + 1] == "\(upAt) read 1", "the slow group right after recovery: \(log[up...].prefix(3))")
        #expect(!scheduler.isDown(device: 0))
    }

    @Test func aFailureShorterThanTheOnDelayRaisesNothing() {
        var scheduler = Self.scheduler(periods: [.milliseconds(100)], downDelay: .milliseconds(500))
        let log = Self.trace(&scheduler, until: 2000) { $0 == 1000 }
        #expect(log.contains("1000 read 0 failed down"))
        #expect(!log.contains { $0.contains("down-delay") }, "back before the on-delay ends: \(log)")
        #expect(log.contains { $0.hasSuffix(" up") })
    }

    @Test func aFailureLongerThanTheOnDelayRaisesAtOnceOnLaterProbes() {
        var scheduler = Self.scheduler(periods: [.milliseconds(100)], downDelay: .milliseconds(200), base: .milliseconds(500),
                                       cap: .milliseconds(500))
        let log = Self.trace(&scheduler, until: 3000) { $0 >= 1000 && $0 < 2500 }
        #expect(log.contains("1200 down-delay 0"))
        // A probe that fails after the on-delay ended says so (the driver evaluates the alarm then).
        #expect(log.filter { $0.contains("failed") }.dropFirst().allSatisfy { $0.hasSuffix("alarm") }, "\(log)")
    }

    @Test func ticksComeAfterTheScansDueAtTheSameInstant() {
        var scheduler = Self.scheduler(periods: [.milliseconds(500)], tick: .seconds(1))
        #expect(Self.trace(&scheduler, until: 2000) == ["0 read 0", "500 read 0", "1000 read 0", "1000 tick", "1500 read 0", "2000 read 0",
                                                         "2000 tick"])
    }

    @Test func devicesAreScheduledApartAndTheJitterSeedIsTheDevicesOwn() {
        var scheduler = Scheduler(devices: [.init(periods: [.milliseconds(300)], downDelay: .seconds(1), seed: 1),
                                            .init(periods: [.milliseconds(200)], downDelay: .seconds(1), seed: 2)],
                                  start: Self.at(0), backoffBase: .milliseconds(250), backoffCap: .seconds(1))
        var reads: [String] = []
        while let due = scheduler.nextDeadline, due <= Self.at(600) {
            if case .read(let d, _, _, _) = scheduler.next(now: due) { reads.append("\(due.offset.wholeMilliseconds):\(d)") }
        }
        #expect(reads == ["0:0", "0:1", "200:1", "300:0", "400:1", "600:0", "600:1"])
        #expect(Scheduler.jitterSeed(device: "a") != Scheduler.jitterSeed(device: "b"))
        #expect(Scheduler.jitterSeed(device: "a") == ScanScheduler<Timestamp>.jitterSeed(device: "a"))
    }
}
