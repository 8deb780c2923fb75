import Foundation
public import RegisterVocabulary

/// How the simulator measures one tag: which signal, how noisy, how slow, in which register encoding.
public struct SensorSpec: Sendable, Hashable {
    public var tag: String
    /// The signal's slot in `PlantDynamics.values`.
    public var slot: Int
    public var dataType: RegisterDataType
    public var wordOrder: WordOrder
    public var scale: Double { didSet { scaling = RegisterScaling(scale: scale, offset: offset) } }
    public var offset: Double { didSet { scaling = RegisterScaling(scale: scale, offset: offset) } }
    /// ``scale`` and ``offset`` for exact decimal arithmetic, as the monitor decodes them.
    public private(set) var scaling: RegisterScaling
    /// The instrument's span; served values are clamped to it as a transmitter saturates.
    public var range: ClosedRange<Double>?
    /// The raw value the device reports when the sensor fails, if it has one.
    public var sentinel: Double?
    /// Standard deviation of the measurement noise, engineering units.
    public var noise: Double
    /// Time constant of the sensor's first-order lag, s.
    public var lag: Double
    /// Multiplies the signal before measurement (a unit conversion from the catalogue's unit to the tag's).
    public var unitFactor: Double
    public var unitOffset: Double

    public init(tag: String, slot: Int, dataType: RegisterDataType, wordOrder: WordOrder = .abcd, scale: Double = 1, offset: Double = 0,
                range: ClosedRange<Double>? = nil, sentinel: Double? = nil, noise: Double? = nil, lag: Double = 2,
                unitFactor: Double = 1, unitOffset: Double = 0) {
        self.tag = tag
        self.slot = slot
        self.dataType = dataType
        self.wordOrder = wordOrder
        self.scale = scale
        self.offset = offset
        self.scaling = RegisterScaling(scale: scale, offset: offset)
        self.range = range
        self.sentinel = sentinel
        // Default noise: 0.1 % of span, a good industrial transmitter (design choice, no published figure).
        self.noise = noise ?? (dataType == .bool ? 0 : (range.map { ($0.upperBound - $0.lowerBound) * 0.001 } ?? 0))
        self.lag = dataType == .bool ? 0 : lag
        self.unitFactor = unitFactor
        self.unitOffset = unitOffset
    }

    /// The resolution a served value has after encoding: one raw step for integer types, none for floats.
    public var quantum: Double {
        switch dataType {
        case .float32, .float64, .string: 0
        case .bool: 1
        default: abs(scale)
        }
    }
}

/// The sensor faults acting on one tag at one step.
public struct SensorFaults: Sendable, Hashable {
    public var stuck = false
    /// Drift added, engineering units (rate × time since the fault began).
    public var drift = 0.0
    public var noiseFactor = 1.0
    public var spike = 0.0
    public var dropout = false
    public init() {}
    public static let none = SensorFaults()
}

/// One tag's sensor: lag, noise, faults, clamping and quantisation of a true value into a served one.
public struct SensorModel: Sendable {
    public let spec: SensorSpec
    private var random: SeededRandom
    private var lagged: Double?
    private var held: Double?
    /// The lag's smoothing factor for the last step length (steps are usually all the same length).
    private var alphaDt = -1.0, alpha = 1.0

    public init(spec: SensorSpec, seed: UInt64) {
        self.spec = spec
        random = SeededRandom(seed: seed, stream: spec.tag)
    }

    /// The value an instrument would show for a true signal value, in engineering units, before encoding.
    /// A dropout returns the sentinel's engineering value, or NaN for a float register, or a value beyond
    /// the span for others.
    public mutating func measure(truth signal: Double, dt: Double, faults: SensorFaults = .none) -> Double {
        let truth = signal * spec.unitFactor + spec.unitOffset
        if let previous = lagged, spec.lag > 0, dt >= 0 {
            if dt != alphaDt {
                alphaDt = dt
                alpha = 1 - exp(-dt / spec.lag)
            }
            lagged = previous + (truth - previous) * alpha
        } else {
            lagged = truth
        }
        var value = lagged! + spec.noise * faults.noiseFactor * (spec.noise > 0 ? random.normal() : 0)
        value += faults.drift + faults.spike
        if faults.stuck {
            if held == nil { held = value }
            value = held!
        } else {
            held = nil
        }
        if faults.dropout { return dropoutValue }
        if let range = spec.range { value = min(max(value, range.lowerBound), range.upperBound) }
        if let limits = RegisterCodec.rawLimits(of: spec.dataType), spec.scale != 0 {
            var raw = spec.scaling.raw(for: value)
            if spec.dataType != .float32 { raw = Self.rounded(raw) }
            raw = min(max(raw, limits.lowerBound), limits.upperBound)
            // What the monitor decodes: the register's decimal, without binary artefacts (float32 is encoded later).
            value = spec.dataType == .float32 ? raw * spec.scale + spec.offset : spec.scaling.value(of: raw)
        }
        return value
    }

    /// `x.rounded()` (to nearest, ties away from zero, the sign of a zero kept) without libm's `round`, which cost a
    /// tenth of a simulated step (`perf` on `geolith bench simulate`): truncation by conversion is one instruction.
    @inline(__always)
    public static func rounded(_ x: Double) -> Double {
        // NaN, the infinities and every |x| ≥ 2^52 (already whole) take the library's way.
        guard abs(x) < 0x1p52 else { return x.rounded() }
        let whole = Double(Int64(x))   // toward zero, exact
        let rest = x - whole           // exact: x and whole share their leading bits
        if rest >= 0.5 { return whole + 1 }
        if rest <= -0.5 { return whole - 1 }
        return Double(signOf: x, magnitudeOf: whole)
    }

    /// What a failed sensor reports.
    public var dropoutValue: Double {
        if let sentinel = spec.sentinel { return spec.scaling.value(of: sentinel) }
        switch spec.dataType {
        case .float32, .float64: return .nan
        default:
            let limits = RegisterCodec.rawLimits(of: spec.dataType) ?? 0...0
            return spec.scaling.value(of: spec.scale >= 0 ? limits.upperBound : limits.lowerBound)
        }
    }

    /// Encodes an engineering value into the tag's registers (sentinels and NaN included).
    public func encode(_ value: Double) -> [UInt16] {
        if let sentinel = spec.sentinel, value == spec.scaling.value(of: sentinel),
           let registers = try? RegisterCodec.encodeRaw(sentinel, as: spec.dataType, order: spec.wordOrder) {
            return registers
        }
        return (try? RegisterCodec.encode(value, as: spec.dataType, order: spec.wordOrder, scaling: spec.scaling))
            ?? [UInt16](repeating: 0xFFFF, count: spec.dataType.registerCount())
    }
}

