import Modbus
public import PlantConfig
import ProcessModel
public import RegisterVocabulary

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
    /// (clamped: a saturated transmitter), unless the tag is a state or count; else good.
    public static func evaluate(_ tag: Tag, registers: UnsafeBufferPointer<UInt16>, at time: Int64) -> TagValue {
        guard registers.count >= max(1, tag.registerCount) else {
            return TagValue(value: .nan, quality: .bad(.decodeError), time: time)
        }
        if tag.dataType == .string {
            return TagValue(value: .nan, quality: .good, time: time)
        }
        return evaluate(tag, raw: RegisterCodec.decodeRaw(registers, as: tag.dataType, order: tag.wordOrder), at: time)
    }

    /// The value and quality of a tag from its decoded raw register value (before scale and offset), by the
    /// same checks as ``evaluate(_:registers:at:)``.
    public static func evaluate(_ tag: Tag, raw: Double, at time: Int64) -> TagValue {
        let value = tag.scaling.apply(raw, of: tag.dataType)
        if let sentinel = tag.sentinel, raw == sentinel || value == sentinel {
            return TagValue(value: value, quality: .bad(.sensorSentinel), time: time)
        }
        guard value.isFinite else { return TagValue(value: value, quality: .bad(.decodeError), time: time) }
        if let range = tag.range, range.upperBound > range.lowerBound {
            if !range.contains(value) { return TagValue(value: value, quality: .bad(.outOfRange), time: time) }
            // A measurement at the top of its span may be saturated; a state or count (an unscaled integer,
            // such as a column phase 0–3) at its highest value is just that value.
            let discrete = tag.dataType == .bool || (tag.dataType.isInteger && tag.scale == 1 && tag.offset == 0)
            if value == range.upperBound, !discrete { return TagValue(value: value, quality: .uncertain(.clamped), time: time) }
        }
        return TagValue(value: value, quality: .good, time: time)
    }

    /// What the monitor would read from the registers of a device that serves the engineering value `value`
    /// for `tag`: the value encoded into the tag's registers (sentinels, NaN and clamping to the register
    /// as a device does them) and decoded again by ``evaluate(_:registers:at:)``. Replay uses it so a
    /// recorded value goes through the live monitor's decoding, float32 rounding included.
    public static func evaluate(_ tag: Tag, served value: Double, at time: Int64) -> TagValue {
        guard tag.dataType != .string else { return TagValue(value: .nan, quality: .good, time: time) }
        var registers: [UInt16]
        if let sentinel = tag.sentinel, value == tag.scaling.value(of: sentinel) || value == sentinel,
           let encoded = try? RegisterCodec.encodeRaw(sentinel, as: tag.dataType, order: tag.wordOrder) {
            registers = encoded
        } else if let encoded = try? RegisterCodec.encode(value, as: tag.dataType, order: tag.wordOrder, scaling: tag.scaling) {
            registers = encoded
        } else {
            // Not representable in the register (NaN in an integer register, beyond its range): a device
            // would serve its all-ones pattern, as the simulator does.
            registers = [UInt16](repeating: 0xFFFF, count: max(1, tag.registerCount))
        }
        return registers.withUnsafeBufferPointer { evaluate(tag, registers: $0, at: time) }
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
