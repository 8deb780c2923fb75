import Historian
import Modbus
import PlantConfig
import RegisterVocabulary

/// One tag's recorded samples in the current chunk, and where the replay is in them.
struct ReplayTrack {
    var series: String
    var column = SampleColumns()
    var index = -1
    var carried: (time: Int64, value: Double, quality: Quality)?
}

extension ReplayTrack {
    /// Gives a track the samples of the next chunk, keeping the last sample of the previous one.
    static func install(_ track: inout ReplayTrack, _ column: SampleColumns) {
        if track.index >= 0, track.index < track.column.count {
            let i = track.index
            track.carried = (track.column.times[i], track.column.values[i], track.column.qualities[i])
        }
        track.column = column
        track.index = -1
    }

    /// The recorded sample at `time`: the latest at or before it, or (interpolating) the straight line to
    /// the next one, with the earlier sample's quality, as swinging-door compression reconstructs.
    static func sample(track: inout ReplayTrack, at time: Int64, interpolate: Bool) -> (value: Double, quality: Quality)? {
        let c = track.column
        while track.index + 1 < c.count, c.times[track.index + 1] <= time { track.index += 1 }
        let previous: (time: Int64, value: Double, quality: Quality)
        if track.index >= 0 {
            previous = (c.times[track.index], c.values[track.index], c.qualities[track.index])
        } else if let carried = track.carried {
            previous = carried
        } else {
            return nil
        }
        let nextIndex = track.index + 1
        if interpolate, previous.time < time, nextIndex < c.count, previous.quality.status != .bad, c.values[nextIndex].isFinite,
           previous.value.isFinite {
            let fraction = Double(time - previous.time) / Double(c.times[nextIndex] - previous.time)
            return (previous.value + (c.values[nextIndex] - previous.value) * fraction, previous.quality)
        }
        return (previous.value, previous.quality)
    }

    /// A tag's value as the monitor would have it at `time`.
    static func value(of tag: Tag, track: inout ReplayTrack, at time: Int64, interpolate: Bool) -> TagValue? {
        guard let sample = sample(track: &track, at: time, interpolate: interpolate) else { return nil }
        if !interpolate { return TagPipeline.evaluate(tag, served: sample.value, at: time) }
        // A historian's bad values keep their reason (a timeout stays a timeout); the rest is checked again
        // against the plant description replayed with.
        if sample.quality.status == .bad { return TagValue(value: sample.value, quality: sample.quality, time: time) }
        let raw = tag.scaling.raw(for: sample.value)
        var value = TagPipeline.evaluate(tag, raw: raw, at: time)
        value.value = sample.value
        if value.quality.isGood, sample.quality.status == .uncertain, sample.quality.reason != .stale { value.quality = sample.quality }
        return value
    }
}
