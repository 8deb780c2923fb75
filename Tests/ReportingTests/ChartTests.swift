import Testing

@testable import Reporting

@Suite struct LineChartTests {
    @Test func seriesCarryTheirExactValues() throws {
        var chart = LineChart(
            title: "KPIs", x: ChartAxis("production flow", unit: "L/s"), y: ChartAxis("Li", unit: "t/yr"))
        chart.add("Li", x: [50, 60, 70], y: [120.5, 144.25, 0.1 + 0.2])
        chart.add("LCE", x: [50, 60, 70], y: [641, .nan, 900], markers: true)
        let root = try SVGTree.parse(chart.svg())
        #expect(root.name == "svg")
        #expect(root.attributes["data-chart"] == "line")
        #expect(root.attributes["data-x-axis"] == "production flow [L/s]")
        #expect(root.attributes["data-y-axis"] == "Li [t/yr]")
        let series = root.all.filter { $0.attributes["class"] == "series" }
        #expect(series.map { $0.attributes["data-series"] } == ["Li", "LCE"])
        #expect(series[0].numbers("data-x") == [50, 60, 70])
        #expect(series[0].numbers("data-y") == [120.5, 144.25, 0.1 + 0.2])
        // The gap breaks the second line into two pieces, and only finite points get markers.
        let path = try #require(series[1].children.first { $0.name == "path" }?.attributes["d"])
        #expect(path.filter { $0 == "M" }.count == 2)
        #expect(series[1].children.filter { $0.name == "circle" }.count == 2)
        #expect(series[1].numbers("data-y")[1].isNaN)
        let captions = root.all.filter { $0.attributes["class"]?.hasSuffix("caption") == true }.map(\.text)
        #expect(captions == ["production flow [L/s]", "Li [t/yr]"])
    }

    @Test func timeAxisShowsDaysForAWeek() throws {
        let seconds = (0...7).map { Double($0) * 86_400 }
        let chart = LineChart(
            title: "week", x: .time(), y: ChartAxis("flow", unit: "L/s"),
            series: [.init(name: "flow", x: seconds, y: seconds.map { _ in 70 })])
        let root = try SVGTree.parse(chart.svg())
        let caption = root.all.first { $0.attributes["class"] == "x-caption" }?.text
        #expect(caption == "time [d]")
        let ticks = try #require(root.all.first { $0.attributes["class"] == "x-ticks" }).children.map(\.text)
        #expect(ticks == ["0", "2", "4", "6", "8"])
        // Data stay in seconds.
        let xs = root.all.first { $0.attributes["class"] == "series" }?.numbers("data-x") ?? []
        #expect(xs == seconds, "\(xs)")
        let hours = LineChart(
            title: "h", x: .time(), y: ChartAxis("v"), series: [.init(name: "v", x: [0, 36_000], y: [1, 2])])
        #expect(try SVGTree.parse(hours.svg()).all.first { $0.attributes["class"] == "x-caption" }?.text == "time [h]")
    }

    @Test(arguments: [
        (0.13, 9.7, 0.0, 10.0, 2.0), (-3.0, 47.0, -10.0, 50.0, 10.0), (0.0012, 0.0049, 0.001, 0.005, 0.001),
        (180.0, 360.0, 150.0, 400.0, 50.0), (-1e-10, 1.0000001, 0.0, 1.0, 0.2),
    ])
    func ticksAreNiceNumbers(low: Double, high: Double, lower: Double, upper: Double, step: Double) {
        let ticks = AxisTicks(covering: low, high)
        #expect(ticks.lower.isApproximately(lower) && ticks.upper.isApproximately(upper), "\(ticks)")
        #expect(ticks.step.isApproximately(step), "\(ticks)")
        // The ticks cover the data, up to a millionth of a step.
        #expect(ticks.lower <= low + ticks.step * 1e-6 && ticks.upper >= high - ticks.step * 1e-6)
        // Labels tell every tick apart.
        #expect(Set(ticks.values.map(ticks.label)).count == ticks.values.count)
    }

    @Test func degenerateSpansStillGetAnAxis() {
        for (low, high) in [(5.0, 5.0), (0.0, 0.0), (Double.nan, .infinity)] {
            let ticks = AxisTicks(covering: low, high)
            #expect(ticks.upper > ticks.lower && ticks.values.count >= 2)
        }
    }
}

@Suite struct ScatterAndParetoTests {
    /// Brute force: a point is on the front iff nothing dominates it (first of identical points kept).
    static func bruteForce(_ x: [Double], _ y: [Double]) -> Set<Int> {
        Set(
            x.indices.filter { i in
                !x.indices.contains { j in
                    let dominates = x[j] <= x[i] && y[j] >= y[i] && (x[j] < x[i] || y[j] > y[i])
                    return dominates || (j < i && x[j] == x[i] && y[j] == y[i])
                }
            })
    }

    @Test func frontMatchesBruteForce() {
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 40 % 64) / 16  // coarse values make ties and duplicates likely
        }
        for _ in 0..<50 {
            let x = (0..<40).map { _ in next() }, y = (0..<40).map { _ in next() }
            let front = ParetoFront.indices(x: x, y: y, x: .minimise, y: .maximise)
            #expect(Set(front) == Self.bruteForce(x, y))
            #expect(zip(front, front.dropFirst()).allSatisfy { x[$0] <= x[$1] && y[$0] <= y[$1] })
        }
    }

    @Test func frontIsHighlightedAndDecimationKeepsIt() throws {
        // 10,000 points on y = sqrt(x) minus noise; the exact curve points form the front.
        let x = (0..<10_000).map { Double($0 % 100) + 1 }
        let y = x.indices.map { (x[$0]).squareRoot() - ($0 < 100 ? 0 : Double($0 % 7 + 1) * 0.01) }
        var chart = ScatterChart(
            title: "Pareto", x: ChartAxis("fresh water", unit: "m³/t"), y: ChartAxis("Li", unit: "t/yr"), x: x, y: y,
            goals: (.minimise, .maximise))
        chart.maximumPoints = 1000
        let root = try SVGTree.parse(chart.svg())
        #expect(root.attributes["data-total"] == "10000")
        let pareto = try #require(root.all.first { $0.attributes["class"] == "pareto" })
        #expect(pareto.numbers("data-index") == (0..<100).map(Double.init))
        #expect(pareto.numbers("data-y") == (1...100).map { Double($0).squareRoot() })
        let points = try #require(root.all.first { $0.attributes["class"] == "points" })
        let drawn = Int(root.attributes["data-drawn"] ?? "") ?? 0
        #expect(drawn <= 1100 && drawn == points.children.count + pareto.children.count)
        #expect(root.all.contains { $0.attributes["class"] == "pareto-line" })
    }
}

@Suite struct HeatMapTests {
    @Test func cellsAndLegendCarryTheData() throws {
        let x = [20.0, 30, 40], y = [50.0, 70]
        let z = [[1.0, 2, 3], [4, .nan, 6]]
        var map = HeatMap(
            title: "Li", x: ChartAxis("load", unit: "BV"), y: ChartAxis("flow", unit: "L/s"),
            z: ChartAxis("Li", unit: "t/yr"),
            x: x, y: y, z: z)
        map.highlight = (2, 1)
        let root = try SVGTree.parse(map.svg())
        #expect(root.attributes["data-chart"] == "heatmap")
        #expect(root.numbers("data-x") == x && root.numbers("data-y") == y)
        let flat = root.numbers("data-z")
        #expect(
            flat.count == 6 && flat[4].isNaN
                && flat.enumerated().allSatisfy { $0.offset == 4 || $0.element == z.flatMap { $0 }[$0.offset] })
        let cells = try #require(root.all.first { $0.attributes["class"] == "cells" }).children.filter {
            $0.name == "rect"
        }
        #expect(cells.count == 6)
        #expect(cells[4].attributes["fill"] == "#eeeeee")
        #expect(
            cells[0].attributes["fill"] == ColourScale.viridis.first
                && cells[5].attributes["fill"] == ColourScale.viridis.last)
        let legend = try #require(root.all.first { $0.attributes["class"] == "colour-scale" })
        #expect(legend.attributes["data-min"] == "1.0" && legend.attributes["data-max"] == "6.0")
        let box = try #require(root.all.first { $0.attributes["class"] == "highlight" })
        #expect(box.attributes["data-column"] == "2" && box.attributes["data-row"] == "1")
    }

    @Test func coloursInterpolateBetweenStops() {
        let scale = ColourScale(lower: 0, upper: 8)
        #expect(scale.colour(0) == "#440154" && scale.colour(8) == "#fde725" && scale.colour(4) == "#21908c")
        #expect(scale.colour(-5) == "#440154" && scale.colour(99) == "#fde725")
        #expect(scale.colour(0.5) != scale.colour(0) && scale.colour(0.5) != scale.colour(1))
    }
}

extension Double {
    func isApproximately(_ other: Double) -> Bool { abs(self - other) <= 1e-9 * max(1, abs(other)) }
}
