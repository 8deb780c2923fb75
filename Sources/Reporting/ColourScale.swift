/// A sequential colour scale: values from ``lower`` to ``upper`` map onto viridis, which is perceptually
/// uniform, readable in grey and by colour-blind readers (van der Walt and Smith, matplotlib 2015).
public struct ColourScale: Sendable, Hashable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// viridis at nine evenly spaced stops (R `viridisLite::viridis(9)`).
    public static let viridis = [
        "#440154", "#472d7b", "#3b528b", "#2c728e", "#21908c", "#27ad81", "#5dc863", "#aadc32", "#fde725",
    ]

    /// Where `value` sits on the scale, 0...1 (clamped; 0.5 when the scale has no span).
    public func position(_ value: Double) -> Double {
        guard upper > lower else { return 0.5 }
        return min(1, max(0, (value - lower) / (upper - lower)))
    }

    /// The colour of `value` as `#rrggbb`, interpolated between the stops in sRGB.
    public func colour(_ value: Double) -> String {
        let t = position(value) * Double(Self.viridis.count - 1)
        let i = min(Int(t), Self.viridis.count - 2)
        let f = t - Double(i)
        let a = Self.components(Self.viridis[i])
        let b = Self.components(Self.viridis[i + 1])
        let mixed = (0..<3).map { k in Int((Double(a[k]) * (1 - f) + Double(b[k]) * f).rounded()) }
        return "#" + mixed.map(Self.hex).joined()
    }

    private static func components(_ hex: String) -> [Int] {
        let digits = Array(hex.utf8.dropFirst())
        return stride(from: 0, to: 6, by: 2).map { Int(nibble(digits[$0])) * 16 + Int(nibble(digits[$0 + 1])) }
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: preconditionFailure("not a lowercase hex digit")
        }
    }

    private static func hex(_ v: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[v / 16]) + String(digits[v % 16])
    }
}
