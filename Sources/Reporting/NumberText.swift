/// Numbers as text without Foundation, the same on every platform, so that reports and SVG files are
/// byte-for-byte reproducible.
public enum NumberText {
    /// The shortest text that reads back as exactly `value` (Swift's `description`): `0.1`, `1e-07`, `nan`.
    ///
    /// Machine-readable data (SVG `data-*` attributes, CSV cells) use this form, so a parser gets the exact
    /// number that was plotted.
    public static func exact(_ value: Double) -> String { value.description }

    /// Fixed-point text with `decimals` digits after the point: `fixed(2.345, 2)` is `"2.35"`
    /// (half away from zero). Non-finite values give `"nan"`, `"inf"` or `"-inf"`.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        precondition(decimals >= 0 && decimals <= 15, "decimals must be 0...15")
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        // Beyond 2^53 the digits are not exact anyway; the shortest form says what the number is.
        guard scaled < 9.0e15 else { return value.description }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = units / divisor
        let fraction = units % divisor
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

    /// Text with about `digits` significant digits for tables: `significant(1234.5, 4)` is `"1235"`,
    /// `significant(0.012345, 3)` is `"0.0123"`. Magnitudes from 1e6 up and below 1e-3 use an exponent
    /// (`"2.50e+06"`). Zero is `"0"`.
    public static func significant(_ value: Double, _ digits: Int = 4) -> String {
        precondition(digits >= 1 && digits <= 15, "digits must be 1...15")
        guard value.isFinite else { return fixed(value, 0) }
        if value == 0 { return "0" }
        let magnitude = decade(of: abs(value))
        if magnitude >= 6 || magnitude < -3 {
            var mantissa = value
            for _ in 0..<abs(magnitude) { mantissa = magnitude > 0 ? mantissa / 10 : mantissa * 10 }
            var exponent = magnitude
            var mantissaText = fixed(mantissa, digits - 1)
            // Rounding may carry to 10.00: renormalise.
            if mantissaText.hasPrefix("10") || mantissaText.hasPrefix("-10") {
                exponent += 1
                mantissaText = fixed(mantissa / 10, digits - 1)
            }
            let sign = exponent < 0 ? "-" : "+"
            let power = String(abs(exponent))
            return mantissaText + "e" + sign + (power.count < 2 ? "0" : "") + power
        }
        let text = fixed(value, max(0, digits - 1 - magnitude))
        // Rounding may carry into the next decade (99.96 → 100.0): one digit fewer after the point.
        if let rounded = Double(text), abs(rounded) >= powerOfTen(magnitude + 1), digits - 1 - magnitude > 0 {
            return fixed(value, digits - 2 - magnitude)
        }
        return text
    }

    /// ``significant(_:_:)`` without trailing zeros after the point: `compact(100.0, 5)` is `"100"`,
    /// `compact(2.5, 4)` is `"2.5"` (the exponent form keeps its mantissa as it is).
    public static func compact(_ value: Double, _ digits: Int = 5) -> String {
        let text = significant(value, digits)
        guard text.contains("."), !text.contains("e") else { return text }
        var trimmed = Substring(text)
        while trimmed.last == "0" { trimmed = trimmed.dropLast() }
        if trimmed.last == "." { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The power of ten of a positive finite number: `decade(0.05)` is -2, `decade(120)` is 2.
    static func decade(of value: Double) -> Int {
        precondition(value > 0 && value.isFinite)
        var power = 0
        var v = value
        while v >= 10 {
            v /= 10
            power += 1
        }
        while v < 1 {
            v *= 10
            power -= 1
        }
        return power
    }

    /// 10 raised to a whole power, by repeated multiplication (exact for the powers charts use).
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
