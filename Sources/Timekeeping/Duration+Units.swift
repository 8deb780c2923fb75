/// The conversions of `Duration` the project uses, in one place.
extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// Whole milliseconds, truncated toward zero (a 1.9 ms duration is 1 ms).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Milliseconds rounded to the nearest.
    public var roundedMilliseconds: Int64 {
        Int64((Double(components.seconds) * 1e3 + Double(components.attoseconds) * 1e-15).rounded())
    }

    /// Whole nanoseconds, truncated toward zero.
    public var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
