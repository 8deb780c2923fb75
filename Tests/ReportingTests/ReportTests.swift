import Foundation
import Testing

@testable import Reporting

@Suite struct ReportTests {
    static func sample() -> Report {
        var report = Report(title: "Sweep of `demo`")
        report.heading("Best points")
        report.paragraph("Objective `li_t_per_year` (max) & <friends>.")
        report.table(
            ["point", "key | value", "Li [t/yr]"], [["3", "a|b", "310"], ["7", "c", "299.5"]],
            alignments: [.right, .left, .right])
        report.list(["one", "two `x`"])
        let chart = LineChart(
            title: "Li", x: ChartAxis("flow", unit: "L/s"), y: ChartAxis("Li", unit: "t/yr"),
            series: [.init(name: "Li", x: [1, 2], y: [3, 4])])
        report.figure(chart.svg(), name: "li-vs-flow", caption: "Li against flow")
        let map = HeatMap(
            title: "second", x: ChartAxis("a"), y: ChartAxis("b"), z: ChartAxis("c"), x: [1, 2], y: [1], z: [[1, 2]])
        report.figure(map.svg(), name: "map", caption: "a heat map")
        report.code("geolith sweep demo.yaml")
        return report
    }

    @Test func markdownHasTheSections() {
        let md = Self.sample().markdown()
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# Sweep of `demo`")
        #expect(lines.contains("## Best points"))
        #expect(lines.contains("| point | key \\| value | Li [t/yr] |"))
        #expect(lines.contains("|---:|---|---:|"))
        #expect(lines.contains("| 3 | a\\|b | 310 |"))
        #expect(lines.contains("- two `x`"))
        #expect(lines.contains("![Li against flow](li-vs-flow.svg)"))
        #expect(lines.contains("geolith sweep demo.yaml"))
    }

    @Test func htmlIsSelfContainedWithInlineFigures() throws {
        let html = Self.sample().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1>Sweep of <code>demo</code></h1>"))
        #expect(html.contains("&amp; &lt;friends&gt;"))
        #expect(html.contains("<td class=\"num\">299.5</td>"))
        // Nothing is fetched: no scripts, stylesheets, images or links to other hosts.
        for forbidden in ["<script", "<link", "<img", "src=", "href=\"http", "@import"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        // Each inline figure is a well-formed SVG with its data, and the gradient ids do not clash.
        var figures: [SVGTree.Element] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<svg "),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            figures.append(try SVGTree.parse(String(rest[start.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
        }
        #expect(figures.map { $0.attributes["data-chart"] } == ["line", "heatmap"])
        #expect(figures[0].all.first { $0.attributes["data-series"] == "Li" }?.numbers("data-y") == [3, 4])
    }

    @Test func filesNameEveryFigure() {
        let files = Self.sample().files()
        #expect(files.map(\.name) == ["report.md", "report.html", "li-vs-flow.svg", "map.svg"])
        #expect(files[2].contents.hasPrefix("<svg "))
    }

    @Test(arguments: [
        (2.345, 2, "2.35"), (-0.004, 2, "0.00"), (-1.5, 0, "-2"), (1234.5, 1, "1234.5"), (0.1, 3, "0.100"),
        (Double.nan, 1, "nan"),
    ])
    func fixedPoint(value: Double, decimals: Int, text: String) {
        #expect(NumberText.fixed(value, decimals) == text)
    }

    @Test(arguments: [
        (1234.5, 4, "1235"), (0.012345, 3, "0.0123"), (2.5e6, 3, "2.50e+06"), (9.9996e-5, 4, "1.000e-04"),
        (0, 4, "0"), (-42.0, 2, "-42"), (99.96, 3, "100"),
    ])
    func significantDigits(value: Double, digits: Int, text: String) {
        #expect(NumberText.significant(value, digits) == text)
    }
}
