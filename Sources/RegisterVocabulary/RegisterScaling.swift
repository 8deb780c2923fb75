/// `engineering value = raw × scale + offset`, without binary artefacts.
///
/// Multiplying by a scale such as 0.1 gives 97 × 0.1 = 9.700000000000001, because 0.1 has no exact binary form:
/// at scale 0.1, 354 of the raw values 0…1000 come out one bit off the decimal a person reads on the device. A
/// register's resolution is decimal (a scale of 0.1 means tenths), so the value is computed as a decimal: with
/// `scale = s / 10^a` and `offset = o / 10^b` (the shortest decimals of the two doubles), an integer raw value gives
///
///     value = (raw · s · 10^(d−a) + o · 10^(d−b)) / 10^d,   d = max(a, b),
///
/// whose numerator is an integer computed exactly while it stays below 2^53, and whose one division is correctly
/// rounded: the result is the double nearest to the exact decimal, which prints as that decimal (9.7). A float32
/// register holds a decimal to about seven digits; it is widened to the double nearest to its shortest decimal
/// (98.52 rather than 98.5199966430664) before scaling. Other cases (a scale with no short decimal form, a
/// numerator beyond 2^53, float64 registers) multiply and add as before.
public struct RegisterScaling: Sendable, Hashable {
    public let scale: Double
    public let offset: Double
    /// `s · 10^(d−a)`, `o · 10^(d−b)` and `10^d`; `divisor` is 0 when the pair has no short decimal form.
    private let multiplier: Double
    private let addend: Double
    private let divisor: Double

    /// Largest integer below which every integer is a double and integer arithmetic on doubles is exact.
    private static let exactLimit = 9_007_199_254_740_992.0   // 2^53

    public init(scale: Double = 1, offset: Double = 0) {
        self.scale = scale
        self.offset = offset
        if let s = Self.decimal(scale), let o = Self.decimal(offset) {
            let d = max(s.exponent, o.exponent)
            multiplier = s.digits * Self.powersOfTen[d - s.exponent]
            addend = o.digits * Self.powersOfTen[d - o.exponent]
            divisor = Self.powersOfTen[d]
        } else {
            (multiplier, addend, divisor) = (0, 0, 0)
        }
    }

    /// Whether scale and offset change nothing.
    public var isIdentity: Bool { scale == 1 && offset == 0 }

    /// The engineering value of a raw register value of type `type` (decoded by ``RegisterCodec/decodeRaw(_:as:order:)``).
    @inlinable
    public func apply(_ raw: Double, of type: RegisterDataType) -> Double {
        let x = type == .float32 ? Self.widen(raw) : raw
        if isIdentity { return x }
        return value(of: x)
    }

    /// The engineering value of a raw value, exact when `raw` is an integer and the numerator stays below 2^53.
    public func value(of raw: Double) -> Double {
        if divisor != 0 {
            if raw == raw.rounded(.towardZero), abs(raw) * abs(multiplier) + abs(addend) <= Self.exactLimit {
                return (raw * multiplier + addend) / divisor
            }
            // A fractional raw value (a float register): divide by the power of ten rather than multiply by its
            // inexact reciprocal when the scale is one, so that 975 × 0.1 is 97.5 as written.
            if multiplier == 1, addend == 0 { return raw / divisor }
        }
        return raw * scale + offset
    }

    /// The raw value that gives `value`, before rounding to the register's type (the inverse of ``value(of:)``).
    public func raw(for value: Double) -> Double {
        guard scale != 0 else { return value }
        if divisor != 0, multiplier != 0 { return (value * divisor - addend) / multiplier }
        return (value - offset) / scale
    }

    /// A value as text: integers whole (`1012346`, not `1.01235e+06`), other numbers in their shortest form that
    /// reads back as the same double (`9.7`, `0.001`, `1e-07`); `nan`, `inf`, `-inf`.
    public static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9.2e18 { return String(Int64(value)) }
        return value.description
    }

    /// The double nearest to the shortest decimal of a float32 value: 98.52 for the float nearest 98.52.
    @usableFromInline
    static func widen(_ raw: Double) -> Double {
        let float = Float(raw)
        guard float.isFinite, Double(float) == raw else { return raw }
        return Double(float.description) ?? raw
    }

    /// `x` as `digits / 10^exponent` with the fewest digits, exponent 0…9 and |digits| below 2^31; nil otherwise.
    static func decimal(_ x: Double) -> (digits: Double, exponent: Int)? {
        guard x.isFinite else { return nil }
        for exponent in 0...9 {
            let power = powersOfTen[exponent]
            let digits = (x * power).rounded()
            if abs(digits) < 2_147_483_648, digits / power == x { return (digits, exponent) }
        }
        return nil
    }

    static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }
}
