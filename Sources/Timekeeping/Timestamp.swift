public import Foundation

/// A wall-clock instant: whole milliseconds since 1970-01-01T00:00:00 UTC, the time of every sample, event and
/// KPI the monitor records.
///
/// It is also an `InstantProtocol`, so a scheduler generic over its instant (``ManualClock/Instant`` in tests,
/// `ContinuousClock.Instant` live) runs unchanged on recorded time: replay steps a `Timestamp` from deadline to
/// deadline. Durations added to it are rounded to the millisecond.
public struct Timestamp: InstantProtocol, Hashable, Sendable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The instant of a `Date`, rounded down to the millisecond.
    public init(_ date: Date) { milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Now on the system's real-time clock.
    public static var now: Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public func advanced(by duration: Duration) -> Timestamp {
        Timestamp(milliseconds: milliseconds + duration.roundedMilliseconds)
    }

    public func duration(to other: Timestamp) -> Duration { .milliseconds(other.milliseconds - milliseconds) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    public var description: String { "\(milliseconds) ms" }
}

/// Where wall time comes from: the system clock live, a ``ManualClock`` in tests.
public protocol WallTimeSource: Sendable {
    /// The current wall-clock instant.
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemWallTime: WallTimeSource {
    public init() {}
    public func now() -> Timestamp { .now }
}
