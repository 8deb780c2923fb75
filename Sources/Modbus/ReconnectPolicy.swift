/// Capped exponential backoff with jitter for reconnecting to a device, as a state machine without I/O.
///
/// The caller reports what happened (`connected`, `failed`, `disconnected`) and asks what to do
/// (`nextAction(now:)`); the machine never sleeps or touches a socket, so it is tested without either
/// [STYLE: Concurrency, sans-IO state machines]. Delays grow as `base × 2^(failures−1)` up to `cap`, with
/// "full jitter" (a uniform draw in [delay × (1 − jitter), delay]) from an injected generator, so many
/// clients that lost the same device do not reconnect in lockstep.
public struct ReconnectPolicy<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public enum State: Sendable, Equatable {
        case disconnected
        case connecting
        case connected
        case backingOff(until: Instant)
    }

    public enum Action: Sendable, Equatable {
        /// Try to connect now.
        case connect
        /// Wait until the instant, then ask again.
        case wait(until: Instant)
        /// Connected: go ahead with requests.
        case proceed
    }

    public var base: Duration
    public var cap: Duration
    /// Fraction of the delay that is randomised, 0 (none) to 1 (full jitter).
    public var jitter: Double
    public private(set) var state: State = .disconnected
    /// Failures since the last successful connection.
    public private(set) var consecutiveFailures = 0
    private var random: SplitMixGenerator

    public init(base: Duration = .milliseconds(250), cap: Duration = .seconds(30), jitter: Double = 0.5, seed: UInt64 = 0) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base ≤ cap")
        precondition((0...1).contains(jitter), "jitter is a fraction 0...1")
        self.base = base
        self.cap = cap
        self.jitter = jitter
        random = SplitMixGenerator(seed: seed)
    }

    /// What to do now.
    public mutating func nextAction(now: Instant) -> Action {
        switch state {
        case .connected: return .proceed
        case .connecting: return .connect
        case .disconnected:
            state = .connecting
            return .connect
        case .backingOff(let until):
            if now >= until {
                state = .connecting
                return .connect
            }
            return .wait(until: until)
        }
    }

    /// The connection is up.
    public mutating func connected() {
        state = .connected
        consecutiveFailures = 0
    }

    /// A connection attempt or a request failed in a way that breaks the link: back off.
    /// - Returns: the instant before which no new attempt is made.
    @discardableResult
    public mutating func failed(now: Instant) -> Instant {
        consecutiveFailures += 1
        let until = now.advanced(by: delay(afterFailures: consecutiveFailures))
        state = .backingOff(until: until)
        return until
    }

    /// The link dropped after working (e.g. the peer closed it): reconnect at once the first time.
    public mutating func disconnected() {
        state = .disconnected
    }

    /// The delay after `failures` consecutive failures, jitter included.
    public mutating func delay(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 40)
        let grown = seconds(base) * Double(UInt64(1) << UInt64(exponent))
        let unjittered = min(seconds(cap), grown)
        let factor = 1 - jitter * random.nextUnit()
        return .nanoseconds(Int64(unjittered * factor * 1e9))
    }

    /// The longest delay any attempt can wait: an upper bound for recovery after a device comes back.
    public var maximumDelay: Duration { cap }
}

/// SplitMix64: small, fast and seedable, for jitter that tests can reproduce.
struct SplitMixGenerator: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
