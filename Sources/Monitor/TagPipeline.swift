import Modbus
public import PlantConfig
import ProcessModel

/// A tag's current value with its quality and times (ms UTC).
public struct TagValue: Sendable, Hashable {
    public var value: Double
    public var quality: Quality
    /// When the value was read.
    public var time: Int64
    /// When the value last changed quality or value, for staleness.
    public var lastGood: Int64?

    public init(value: Double, quality: Quality, time: Int64, lastGood: Int64? = nil) {
        self.value = value
        self.quality = quality
        self.time = time
        self.lastGood = lastGood
    }
}

/// Registers → raw value → scale/offset → range and sentinel checks → quality.
public enum TagPipeline {
    /// The value and quality of a tag from the registers a read returned (starting at the tag's address).
    ///
    /// Quality: NaN or infinity → bad (decode error); the raw value equal to the sentinel → bad (sensor
    /// sentinel); outside the valid range → bad (out of range); at the top of the range → uncertain
    /// (clamped: a saturated transmitter); else good.
    public static func evaluate(_ tag: Tag, registers: UnsafeBufferPointer<UInt16>, at time: Int64) -> TagValue {
        guard registers.count >= max(1, tag.registerCount) else {
            return TagValue(value: .nan, quality: .bad(.decodeError), time: time)
        }
        if tag.dataType == .string {
            return TagValue(value: .nan, quality: .good, time: time)
        }
        let raw = RegisterCodec.decodeRaw(registers, as: tag.dataType, order: tag.wordOrder)
        let value = raw * tag.scale + tag.offset
        if let sentinel = tag.sentinel, raw == sentinel || value == sentinel {
            return TagValue(value: value, quality: .bad(.sensorSentinel), time: time)
        }
        guard value.isFinite else { return TagValue(value: value, quality: .bad(.decodeError), time: time) }
        if let range = tag.range, range.upperBound > range.lowerBound {
            if !range.contains(value) { return TagValue(value: value, quality: .bad(.outOfRange), time: time) }
            if value == range.upperBound { return TagValue(value: value, quality: .uncertain(.clamped), time: time) }
        }
        return TagValue(value: value, quality: .good, time: time)
    }

    /// The quality of every tag of a failed request.
    public static func quality(for error: any Error) -> Quality {
        guard let error = error as? ModbusError else { return .bad(.commFailure) }
        if let code = error.exceptionCode { return .bad(.exception, detail: UInt16(code)) }
        switch error.code {
        case .timeout: return .bad(.timeout)
        case .connectFailed, .notConnected: return .bad(.notConnected)
        case .decodeError: return .bad(.decodeError)
        default: return .bad(.commFailure)
        }
    }
}
