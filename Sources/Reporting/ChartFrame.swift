/// The part every chart shares: the plot area inside the margins, the data-to-pixel scales, and the drawn
/// title, axes, ticks, grid lines and axis captions.
struct ChartFrame {
    let width: Double
    let height: Double
    let left = 78.0
    let top = 40.0
    let bottom = 52.0
    let right: Double
    let xAxis: ChartAxis
    let yAxis: ChartAxis
    /// Ticks in displayed units (hours on an hour axis).
    let xTicks: AxisTicks
    let yTicks: AxisTicks
    /// Data units per displayed unit on each axis.
    let xFactor: Double
    let yFactor: Double
    /// The displayed span of each axis (in displayed units): the ticks' span, or the data's when tight.
    let xDomain: ClosedRange<Double>
    let yDomain: ClosedRange<Double>

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    /// A frame for data spanning `xRange` × `yRange` (in data units: seconds on a time axis).
    init(
        width: Double, height: Double, right: Double = 24, xAxis: ChartAxis, yAxis: ChartAxis,
        xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, tight: Bool = false
    ) {
        self.width = width
        self.height = height
        self.right = right
        self.xAxis = xAxis
        self.yAxis = yAxis
        xFactor = xAxis.displayFactor(span: xRange.upperBound - xRange.lowerBound)
        yFactor = yAxis.displayFactor(span: yRange.upperBound - yRange.lowerBound)
        xTicks = Self.ticks(xAxis, xRange, xFactor)
        yTicks = Self.ticks(yAxis, yRange, yFactor)
        func domain(_ ticks: AxisTicks, _ range: ClosedRange<Double>, _ factor: Double, _ categorical: Bool)
            -> ClosedRange<Double>
        {
            tight && !categorical
                ? (range.lowerBound / factor)...(range.upperBound / factor) : ticks.lower...ticks.upper
        }
        xDomain = domain(xTicks, xRange, xFactor, xAxis.categories != nil)
        yDomain = domain(yTicks, yRange, yFactor, yAxis.categories != nil)
    }

    private static func ticks(_ axis: ChartAxis, _ range: ClosedRange<Double>, _ factor: Double) -> AxisTicks {
        if let categories = axis.categories {
            var ticks = AxisTicks(covering: 0, Double(max(categories.count - 1, 1)))
            ticks.lower = -0.5
            ticks.upper = Double(categories.count) - 0.5
            ticks.step = 1
            ticks.decimals = 0
            return ticks
        }
        return AxisTicks(covering: range.lowerBound / factor, range.upperBound / factor)
    }

    /// Pixel x of a data value.
    func x(_ value: Double) -> Double {
        left + (value / xFactor - xDomain.lowerBound) / (xDomain.upperBound - xDomain.lowerBound) * plotWidth
    }

    /// Pixel y of a data value (up is larger).
    func y(_ value: Double) -> Double {
        top + (1 - (value / yFactor - yDomain.lowerBound) / (yDomain.upperBound - yDomain.lowerBound)) * plotHeight
    }

    /// Draws the title, grid, axes with tick labels, and the axis captions.
    func draw(title: String, grid: Bool = true, into svg: inout SVGWriter) {
        let c = SVGWriter.coordinate
        svg.label(title, x: left, y: 24, size: 15, extra: [("class", "title")])
        let xValues = xAxis.categories.map { Array(0..<$0.count).map(Double.init) } ?? Self.inside(xTicks, xDomain)
        let yValues = yAxis.categories.map { Array(0..<$0.count).map(Double.init) } ?? Self.inside(yTicks, yDomain)
        svg.begin("g", [("class", "grid"), ("stroke", "#ddd")])
        for v in yValues where grid {
            let py = y(v * yFactor)
            svg.element("line", [("x1", c(left)), ("x2", c(left + plotWidth)), ("y1", c(py)), ("y2", c(py))])
        }
        for v in xValues where grid {
            let px = x(v * xFactor)
            svg.element("line", [("x1", c(px)), ("x2", c(px)), ("y1", c(top)), ("y2", c(top + plotHeight))])
        }
        svg.end()
        svg.element(
            "path",
            [
                ("d", "M\(c(left)),\(c(top)) V\(c(top + plotHeight)) H\(c(left + plotWidth))"), ("stroke", "black"),
                ("fill", "none"),
            ])
        svg.begin("g", [("class", "x-ticks"), ("text-anchor", "middle")])
        for v in xValues {
            let text = xAxis.categories.map { $0[Int(v)] } ?? xTicks.label(v)
            svg.label(text, x: x(v * xFactor), y: top + plotHeight + 17)
        }
        svg.end()
        svg.begin("g", [("class", "y-ticks"), ("text-anchor", "end")])
        for v in yValues {
            let text = yAxis.categories.map { $0[Int(v)] } ?? yTicks.label(v)
            svg.label(text, x: left - 6, y: y(v * yFactor) + 4)
        }
        svg.end()
        let xSpan = (xDomain.upperBound - xDomain.lowerBound) * xFactor
        let ySpan = (yDomain.upperBound - yDomain.lowerBound) * yFactor
        svg.label(
            xAxis.caption(span: xSpan), x: left + plotWidth / 2, y: height - 12, anchor: "middle",
            extra: [("class", "x-caption")])
        let cy = top + plotHeight / 2
        svg.label(
            yAxis.caption(span: ySpan), x: 16, y: cy, anchor: "middle",
            extra: [("class", "y-caption"), ("transform", "rotate(-90 16 \(c(cy)))")])
    }

    /// The tick values inside `domain` (all of them unless the frame is tight).
    private static func inside(_ ticks: AxisTicks, _ domain: ClosedRange<Double>) -> [Double] {
        let slack = ticks.step * 1e-9
        return ticks.values.filter { $0 >= domain.lowerBound - slack && $0 <= domain.upperBound + slack }
    }

    /// A legend of named swatches in the top-right corner of the plot area.
    func legend(_ entries: [(name: String, colour: String)], into svg: inout SVGWriter) {
        guard !entries.isEmpty else { return }
        let c = SVGWriter.coordinate
        let longest = entries.map(\.name.count).max() ?? 0
        let boxWidth = min(Double(longest) * 7 + 34, plotWidth)
        let x0 = left + plotWidth - boxWidth - 6
        svg.begin("g", [("class", "legend")])
        svg.element(
            "rect",
            [
                ("x", c(x0)), ("y", c(top + 6)), ("width", c(boxWidth)),
                ("height", c(Double(entries.count) * 16 + 6)), ("fill", "white"), ("fill-opacity", "0.85"),
                ("stroke", "#bbb"),
            ])
        for (i, entry) in entries.enumerated() {
            let yy = top + 18 + Double(i) * 16
            svg.element(
                "rect", [("x", c(x0 + 6)), ("y", c(yy - 9)), ("width", "14"), ("height", "10"), ("fill", entry.colour)])
            svg.label(entry.name, x: x0 + 26, y: yy)
        }
        svg.end()
    }

    /// Distinguishable series colours (Tableau 10).
    static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]
}

/// The smallest range holding every finite value, or `0...1` when there is none.
func finiteRange(_ values: some Sequence<Double>) -> ClosedRange<Double> {
    var low = Double.infinity
    var high = -Double.infinity
    for v in values where v.isFinite {
        low = min(low, v)
        high = max(high, v)
    }
    return low <= high ? low...high : 0...1
}
