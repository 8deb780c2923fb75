/// Per-series compression before storage: an exception deadband and the swinging-door algorithm
/// (Bristol 1990), with a maximum interval so a flat series still gets a sample now and then.
///
/// Feed every new value to `offer`; it returns the samples to store. Reconstructing the series by linear
/// interpolation between stored samples stays within `deviation` of every value offered (tested). A change
/// of quality always stores the point, so quality transitions are never lost.
public struct SwingingDoor: Sendable {
    /// Largest error allowed when interpolating between stored points, in the value's unit; 0 stores every
    /// change (exception reporting with a zero deadband).
    public var deviation: Double
    /// Longest time between two stored samples, ms.
    public var maximumInterval: Int64

    private var archived: Sample?        // last stored point
    private var held: Sample?            // latest point seen, not stored yet
    private var slopeLow = -Double.infinity
    private var slopeHigh = Double.infinity

    public init(deviation: Double, maximumInterval: Int64 = 600_000) {
        precondition(deviation >= 0 && maximumInterval > 0)
        self.deviation = deviation
        self.maximumInterval = maximumInterval
    }

    /// Offers a new sample; returns what to store now (0, 1 or 2 samples), oldest first.
    public mutating func offer(_ sample: Sample) -> [Sample] {
        var out: [Sample] = []
        offer(sample, into: &out)
        return out
    }

    /// Offers a new sample and appends what to store now (0, 1 or 2 samples, oldest first) to `out`: the form
    /// for hot loops, which allocates nothing when `out` has room.
    public mutating func offer(_ sample: Sample, into out: inout [Sample]) {
        guard let anchor = archived else {
            archived = sample
            out.append(sample)
            return
        }
        if sample.time <= anchor.time { return }
        // Quality changes, NaN and long gaps store at once (the held point first, to keep the shape).
        let qualityChanged = sample.quality != anchor.quality || sample.value.isNaN != anchor.value.isNaN
        if qualityChanged || sample.time - anchor.time >= maximumInterval || sample.value.isNaN {
            if let held, held.time > anchor.time, held.time < sample.time { out.append(held) }
            out.append(sample)
            restart(at: sample)
            return
        }
        let dt = Double(sample.time - anchor.time)
        let low = (sample.value - deviation - anchor.value) / dt
        let high = (sample.value + deviation - anchor.value) / dt
        // The line from the stored point to this one must pass every point since within the deviation:
        // its slope must lie inside every earlier point's door, then this point narrows the doors.
        let slope = (sample.value - anchor.value) / dt
        if slope >= slopeLow && slope <= slopeHigh {
            slopeLow = max(slopeLow, low)
            slopeHigh = min(slopeHigh, high)
            held = sample
            return
        }
        // The doors opened past parallel: store the last point that fitted and start again from it.
        guard let last = held else {
            restart(at: sample)
            out.append(sample)
            return
        }
        restart(at: last)
        out.append(last)
        offer(sample, into: &out)
    }

    /// Stores the pending point, if any (e.g. before shutdown).
    public mutating func drain() -> [Sample] {
        defer { held = nil }
        if let held, let archived, held.time > archived.time {
            restart(at: held)
            return [held]
        }
        return []
    }

    private mutating func restart(at sample: Sample) {
        archived = sample
        held = nil
        slopeLow = -.infinity
        slopeHigh = .infinity
    }
}
