/// A line chart of named series, drawn as SVG by our own code.
///
/// Each series is a `<g class="series" data-series="name" data-x="…" data-y="…">` holding its path, with the
/// exact values plotted (a non-finite y breaks the line and appears as `nan`), so a test or a script can read
/// the data back out of the picture.
///
///     var chart = LineChart(title: "Outlet", x: .time(), y: ChartAxis("c/c_feed"))
///     chart.add("Li", x: times, y: values)
///     let svg = chart.svg()
public struct LineChart: Sendable {
    /// One named curve.
    public struct Series: Sendable, Hashable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Draw markers at the points as well as the line.
        public var markers: Bool

        public init(name: String, x: [Double], y: [Double], markers: Bool = false) {
            precondition(x.count == y.count, "a series needs as many x as y values")
            self.name = name
            self.x = x
            self.y = y
            self.markers = markers
        }
    }

    public var title: String
    public var xAxis: ChartAxis
    public var yAxis: ChartAxis
    public var series: [Series] = []
    /// Include y = 0 in the value axis.
    public var includesZero = false
    public var width = 720.0
    public var height = 420.0

    public init(title: String, x: ChartAxis, y: ChartAxis, series: [Series] = []) {
        self.title = title
        xAxis = x
        yAxis = y
        self.series = series
    }

    /// Adds a series of (x, y) values.
    public mutating func add(_ name: String, x: [Double], y: [Double], markers: Bool = false) {
        series.append(Series(name: name, x: x, y: y, markers: markers))
    }

    /// The SVG document.
    public func svg() -> String {
        let xRange = finiteRange(series.lazy.flatMap(\.x))
        var yRange = finiteRange(series.lazy.flatMap(\.y))
        if includesZero { yRange = min(yRange.lowerBound, 0)...max(yRange.upperBound, 0) }
        let frame = ChartFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis, xRange: xRange, yRange: yRange)
        var svg = SVGWriter(
            width: width, height: height,
            attributes: [
                ("data-chart", "line"), ("data-title", title), ("data-x-axis", frame.xAxis.caption(span: 0)),
                ("data-y-axis", frame.yAxis.caption(span: 0)),
            ])
        svg.element("title", [], text: title)
        frame.draw(title: title, into: &svg)
        let c = SVGWriter.coordinate
        for (i, s) in series.enumerated() {
            let colour = ChartFrame.palette[i % ChartFrame.palette.count]
            svg.begin(
                "g",
                [
                    ("class", "series"), ("data-series", s.name), ("data-x", SVGWriter.dataList(s.x)),
                    ("data-y", SVGWriter.dataList(s.y)), ("stroke", colour), ("fill", "none"),
                ])
            var path = ""
            var penDown = false
            for (x, y) in zip(s.x, s.y) {
                guard x.isFinite, y.isFinite else {
                    penDown = false
                    continue
                }
                path += (path.isEmpty ? "" : " ") + (penDown ? "L" : "M") + c(frame.x(x)) + "," + c(frame.y(y))
                penDown = true
            }
            if !path.isEmpty { svg.element("path", [("d", path), ("stroke-width", "1.6")]) }
            if s.markers {
                for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite {
                    svg.element(
                        "circle", [("cx", c(frame.x(x))), ("cy", c(frame.y(y))), ("r", "2.5"), ("fill", colour)])
                }
            }
            svg.end()
        }
        if series.count > 1 || series.first.map({ $0.name != yAxis.title }) == true {
            frame.legend(
                series.enumerated().map { ($1.name, ChartFrame.palette[$0 % ChartFrame.palette.count]) }, into: &svg)
        }
        return svg.finish()
    }
}
