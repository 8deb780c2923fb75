/// One axis of a chart: what it shows, in which unit, and how its values are read.
///
///     ChartAxis("production flow", unit: "L/s")        // "production flow [L/s]"
///     ChartAxis.time()                                   // seconds, shown in s, min, h or d by the span
///     ChartAxis("sorbent", categories: ["LDH", "MnOx"])  // values 0, 1 are the named categories
public struct ChartAxis: Sendable, Hashable {
    public var title: String
    public var unit: String?
    /// For a time axis: values are seconds, shown in this unit.
    public var time: TimeUnit?
    /// For a categorical axis: value `i` is `categories[i]`.
    public var categories: [String]?

    /// How a time axis shows seconds.
    public enum TimeUnit: Sendable, Hashable {
        /// Seconds, minutes, hours or days, whichever gives at least three units over the span.
        case automatic
        case seconds, minutes, hours, days

        var seconds: Double {
            switch self {
            case .automatic, .seconds: return 1
            case .minutes: return 60
            case .hours: return 3600
            case .days: return 86_400
            }
        }

        var symbol: String {
            switch self {
            case .automatic, .seconds: return "s"
            case .minutes: return "min"
            case .hours: return "h"
            case .days: return "d"
            }
        }

        /// The unit a span of `seconds` is shown in.
        func resolved(span seconds: Double) -> TimeUnit {
            guard self == .automatic else { return self }
            if seconds >= 3 * 86_400 { return .days }
            if seconds >= 3 * 3600 { return .hours }
            if seconds >= 3 * 60 { return .minutes }
            return .seconds
        }
    }

    /// A numeric axis titled `title`, in `unit` when given.
    public init(_ title: String, unit: String? = nil, categories: [String]? = nil) {
        self.title = title
        self.unit = unit
        self.categories = categories
    }

    /// A time axis whose values are seconds, shown in `unit` (by default the one that fits the span).
    public static func time(_ title: String = "time", unit: TimeUnit = .automatic) -> ChartAxis {
        var axis = ChartAxis(title)
        axis.time = unit
        return axis
    }

    /// The axis caption, `title [unit]`.
    func caption(span: Double) -> String {
        if let time { return "\(title) [\(time.resolved(span: span).symbol)]" }
        guard let unit, !unit.isEmpty, unit != "1" else { return title }
        return "\(title) [\(unit)]"
    }

    /// Data units per displayed unit (seconds per hour on an hour axis, else 1).
    func displayFactor(span: Double) -> Double { time?.resolved(span: span).seconds ?? 1 }
}

/// Tick values a reader can count in: steps of 1, 2 or 5 times a power of ten covering the data
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
public struct AxisTicks: Sendable, Hashable {
    public var lower: Double
    public var upper: Double
    public var step: Double
    /// Digits after the point that tell every tick apart.
    public var decimals: Int

    /// Ticks spanning `lower...upper` in about `count` steps. An empty or non-finite span is widened so
    /// that a chart always has an axis.
    public init(covering lower: Double, _ upper: Double, count: Int = 5) {
        precondition(count >= 1, "count must be at least 1")
        var low = lower.isFinite ? lower : 0
        var high = upper.isFinite ? upper : 1
        if high < low { swap(&low, &high) }
        if high - low <= abs(high) * 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let range = Self.nice(high - low, round: false)
        step = Self.nice(range / Double(count), round: true)
        // Data a hair beyond a tick (1.0000001 from a numerical curve) do not earn a tick of their own.
        let slack = 1e-6
        self.lower = (low / step + slack).rounded(.down) * step
        self.upper = (high / step - slack).rounded(.up) * step
        decimals = max(0, -NumberText.decade(of: step))
    }

    /// The tick values from ``lower`` to ``upper``.
    public var values: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { lower + Double($0) * step }
    }

    /// A tick's label.
    public func label(_ value: Double) -> String {
        NumberText.fixed(abs(value) < step * 1e-9 ? 0 : value, min(decimals, 15))
    }

    /// The nice number near `x`: 1, 2, 5 or 10 times a power of ten (rounded to the nearest, or the next
    /// above when `round` is false).
    static func nice(_ x: Double, round: Bool) -> Double {
        let exponent = NumberText.decade(of: x)
        let power = NumberText.powerOfTen(exponent)
        let fraction = x / power
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            let f = fraction * (1 - 1e-6)
            nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        }
        return nice * power
    }
}
