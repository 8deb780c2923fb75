/// A heat map of a quantity over two parameters, with a colour scale legend.
///
/// Cells span the midpoints between neighbouring x and y values. The root carries the data:
/// `data-x` (column values), `data-y` (row values), `data-z` (row by row, `nan` where a cell has no value),
/// `data-columns`, `data-rows`, and the legend `data-min`/`data-max`.
public struct HeatMap: Sendable {
    public var title: String
    public var xAxis: ChartAxis
    public var yAxis: ChartAxis
    /// The quantity coloured, for the legend.
    public var zAxis: ChartAxis
    public var x: [Double]
    public var y: [Double]
    /// `z[row][column]`: the value at `(x[column], y[row])`; non-finite for none.
    public var z: [[Double]]
    /// A cell to outline (e.g. the best point), as (column, row).
    public var highlight: (column: Int, row: Int)?
    public var width = 760.0
    public var height = 440.0

    public init(
        title: String, x xAxis: ChartAxis, y yAxis: ChartAxis, z zAxis: ChartAxis, x: [Double], y: [Double],
        z: [[Double]]
    ) {
        precondition(!x.isEmpty && !y.isEmpty, "a heat map needs at least one column and one row")
        precondition(z.count == y.count && z.allSatisfy { $0.count == x.count }, "z must be rows × columns")
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.zAxis = zAxis
        self.x = x
        self.y = y
        self.z = z
    }

    /// The SVG document.
    public func svg() -> String {
        let xEdges = Self.edges(x, categorical: xAxis.categories != nil)
        let yEdges = Self.edges(y, categorical: yAxis.categories != nil)
        let frame = ChartFrame(
            width: width, height: height, right: 110, xAxis: xAxis, yAxis: yAxis,
            xRange: xEdges.first!...xEdges.last!, yRange: yEdges.first!...yEdges.last!, tight: true)
        let zRange = finiteRange(z.lazy.flatMap { $0 })
        let scale = ColourScale(lower: zRange.lowerBound, upper: zRange.upperBound)
        var svg = SVGWriter(
            width: width, height: height,
            attributes: [
                ("data-chart", "heatmap"), ("data-title", title), ("data-x-axis", xAxis.caption(span: 0)),
                ("data-y-axis", yAxis.caption(span: 0)), ("data-z-axis", zAxis.caption(span: 0)),
                ("data-columns", String(x.count)), ("data-rows", String(y.count)),
                ("data-x", SVGWriter.dataList(x)), ("data-y", SVGWriter.dataList(y)),
                ("data-z", SVGWriter.dataList(z.flatMap { $0 })),
            ])
        svg.element("title", [], text: title)
        let c = SVGWriter.coordinate
        svg.begin("g", [("class", "cells")])
        let labelled = x.count * y.count <= 64
        for (row, values) in z.enumerated() {
            for (column, value) in values.enumerated() {
                let x0 = frame.x(xEdges[column]), x1 = frame.x(xEdges[column + 1])
                let y0 = frame.y(yEdges[row + 1]), y1 = frame.y(yEdges[row])
                let fill = value.isFinite ? scale.colour(value) : "#eeeeee"
                svg.element(
                    "rect",
                    [
                        ("x", c(min(x0, x1))), ("y", c(min(y0, y1))), ("width", c(abs(x1 - x0))),
                        ("height", c(abs(y1 - y0))), ("fill", fill),
                    ])
                if labelled && value.isFinite {
                    let dark = scale.position(value) < 0.6
                    svg.label(
                        NumberText.significant(value, 3), x: (x0 + x1) / 2, y: (y0 + y1) / 2 + 4, anchor: "middle",
                        size: 10, extra: [("fill", dark ? "white" : "black")])
                }
            }
        }
        svg.end()
        if let (column, row) = highlight, x.indices.contains(column), y.indices.contains(row) {
            let x0 = frame.x(xEdges[column]), x1 = frame.x(xEdges[column + 1])
            let y0 = frame.y(yEdges[row + 1]), y1 = frame.y(yEdges[row])
            svg.element(
                "rect",
                [
                    ("class", "highlight"), ("x", c(min(x0, x1))), ("y", c(min(y0, y1))),
                    ("width", c(abs(x1 - x0))), ("height", c(abs(y1 - y0))), ("fill", "none"),
                    ("stroke", "black"), ("stroke-width", "2.5"), ("data-column", String(column)),
                    ("data-row", String(row)),
                ])
        }
        frame.draw(title: title, grid: false, into: &svg)
        legend(scale, frame: frame, into: &svg)
        return svg.finish()
    }

    private func legend(_ scale: ColourScale, frame: ChartFrame, into svg: inout SVGWriter) {
        let c = SVGWriter.coordinate
        let x0 = frame.left + frame.plotWidth + 22
        let top = frame.top, barHeight = frame.plotHeight
        svg.begin(
            "g",
            [
                ("class", "colour-scale"), ("data-min", NumberText.exact(scale.lower)),
                ("data-max", NumberText.exact(scale.upper)),
            ])
        svg.begin("defs")
        // One id per chart, so several heat maps can share an HTML page.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (title + zAxis.title).utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let id = "colour-scale-" + String(hash, radix: 16)
        svg.begin("linearGradient", [("id", id), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
        for (i, colour) in ColourScale.viridis.enumerated() {
            let offset = Double(i) / Double(ColourScale.viridis.count - 1)
            svg.element("stop", [("offset", NumberText.fixed(offset, 3)), ("stop-color", colour)])
        }
        svg.end()
        svg.end()
        svg.element(
            "rect",
            [
                ("x", c(x0)), ("y", c(top)), ("width", "16"), ("height", c(barHeight)),
                ("fill", "url(#\(id))"), ("stroke", "#888"),
            ])
        let ticks = AxisTicks(covering: scale.lower, scale.upper, count: 5)
        for v in ticks.values where v >= scale.lower - ticks.step * 1e-9 && v <= scale.upper + ticks.step * 1e-9 {
            let yy = top + (1 - scale.position(v)) * barHeight
            svg.element(
                "line", [("x1", c(x0 + 16)), ("x2", c(x0 + 20)), ("y1", c(yy)), ("y2", c(yy)), ("stroke", "#444")])
            svg.label(ticks.label(v), x: x0 + 23, y: yy + 4, size: 10)
        }
        let cy = top + barHeight / 2
        svg.label(
            zAxis.caption(span: 0), x: width - 8, y: cy, anchor: "middle",
            extra: [("transform", "rotate(-90 \(c(width - 8)) \(c(cy)))")])
        svg.end()
    }

    /// Cell boundaries: midpoints between neighbours, half a gap beyond the ends (±0.5 for one value).
    static func edges(_ values: [Double], categorical: Bool) -> [Double] {
        guard values.count > 1 else {
            let v = values[0]
            let half = categorical ? 0.5 : (v == 0 ? 0.5 : abs(v) * 0.05)
            return [v - half, v + half]
        }
        var edges = [values[0] - (values[1] - values[0]) / 2]
        for i in 1..<values.count { edges.append((values[i - 1] + values[i]) / 2) }
        edges.append(values[values.count - 1] + (values[values.count - 1] - values[values.count - 2]) / 2)
        return edges
    }
}
