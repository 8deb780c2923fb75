import Foundation
import Reporting
import Testing

@testable import ProcessStudies

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct SweepReportTests {
    static let varies = [
        "production.flow=40:100:7", "sorbent.capacity_mg_per_g=2:8:4", "dle.cycle_bed_volumes.load=15,30",
    ]

    static func build(design: SweepPlan.Design = .grid, varies: [String] = varies) throws -> (
        Report, [[String: String]]
    ) {
        let definition = try SweepSupport.definition(varies, settings: [("dle.model", "equilibrium")], design: design)
        let (text, summary) = try SweepSupport.run(definition, keepTable: true)
        let report = SweepReport(
            title: "test", context: [], table: try #require(summary.table), objective: .lithiumYield)
        return (report.build(), SweepSupport.records(text))
    }

    /// `data-*` attributes of every element of an SVG, in document order.
    static func elements(_ svg: String) throws -> [[String: String]] {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [[String: String]] = []
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]
            ) {
                elements.append(attributes.merging(["element": name]) { a, _ in a })
            }
        }
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        try #require(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return collector.elements
    }

    static func numbers(_ text: String?) -> [Double] { (text ?? "").split(separator: " ").map { Double(String($0))! } }

    @Test func bestPointsAndPlotsCarryTheSweepsData() throws {
        let (report, rows) = try Self.build()
        let li = rows.map { $0.number("li_t_per_year [t/yr]")! }
        let best = li.indices.max { li[$0] != li[$1] ? li[$0] < li[$1] : $0 > $1 }!
        let md = report.markdown()
        #expect(md.contains("| \(best) | "), "the best point leads its table")
        let figures = Dictionary(uniqueKeysWithValues: report.figures.map { ($0.name, $0.svg) })
        #expect(
            Set(figures.keys) == [
                "li_t_per_year-vs-production.flow", "li_t_per_year-vs-sorbent.capacity_mg_per_g",
                "li_t_per_year-vs-dle.cycle_bed_volumes.load", "heatmap", "pareto",
            ])
        // The line through the best point along the flow: the rows sharing its capacity and load.
        let line = try Self.elements(figures["li_t_per_year-vs-production.flow"]!).first { $0["data-series"] != nil }!
        let slice = rows.filter {
            $0["sorbent.capacity_mg_per_g [mg/g]"] == rows[best]["sorbent.capacity_mg_per_g [mg/g]"]
                && $0["dle.cycle_bed_volumes.load [BV]"] == rows[best]["dle.cycle_bed_volumes.load [BV]"]
        }
        #expect(Self.numbers(line["data-x"]) == slice.map { $0.number("production.flow [L/s]")! })
        #expect(Self.numbers(line["data-y"]) == slice.map { $0.number("li_t_per_year [t/yr]")! })
        // The heat map over flow and capacity at the best point's load.
        let map = try Self.elements(figures["heatmap"]!)[0]
        let z = Self.numbers(map["data-z"])
        let layer = rows.filter {
            $0["dle.cycle_bed_volumes.load [BV]"] == rows[best]["dle.cycle_bed_volumes.load [BV]"]
        }
        #expect(map["data-columns"] == "7" && map["data-rows"] == "4")
        for row in layer {
            let column = Self.numbers(map["data-x"]).firstIndex(of: row.number("production.flow [L/s]")!)!
            let r = Self.numbers(map["data-y"]).firstIndex(of: row.number("sorbent.capacity_mg_per_g [mg/g]")!)!
            #expect(z[r * 7 + column] == row.number("li_t_per_year [t/yr]")!)
        }
    }

    /// The Pareto front in the SVG is the non-dominated set of (fresh water per tonne, Li per year), computed here
    /// by brute force from the CSV.
    @Test func paretoFrontIsTheNonDominatedSet() throws {
        let (report, rows) = try Self.build()
        let water = rows.map { $0.number("fresh_water_m3_per_t [m³/t]")! }
        let li = rows.map { $0.number("li_t_per_year [t/yr]")! }
        let expected = Set(
            rows.indices.filter { i in
                !rows.indices.contains { j in
                    (water[j] <= water[i] && li[j] >= li[i] && (water[j] < water[i] || li[j] > li[i]))
                        || (j < i && water[j] == water[i] && li[j] == li[i])
                }
            })
        let svg = try #require(report.figures.first { $0.name == "pareto" }?.svg)
        let front = try #require(try Self.elements(svg).first { $0["class"] == "pareto" })
        #expect(Set(Self.numbers(front["data-index"]).map { Int($0) }) == expected)
        #expect(expected.count >= 2, "a trade-off, not a single best point")
        let root = try Self.elements(svg)[0]
        #expect(root["data-total"] == "\(rows.count)" && root["data-x-axis"] == "fresh water [m³/t]")
    }

    /// With the isotherm, more flow and more capacity raise the yield, and longer loads (past the working
    /// capacity) lower it; fewer cycles per m³ of brine (longer loads) use less wash water. The sensitivity
    /// table shows these signs.
    @Test func sensitivitiesHaveTheExpectedSigns() throws {
        let (report, _) = try Self.build()
        let md = report.markdown().split(separator: "\n")
        func rho(_ kpi: String) throws -> [Double] {
            let line = try #require(md.first { $0.hasPrefix("| `\(kpi)` ") })
            return line.split(separator: "|").dropFirst().map { Double($0.trimmingCharacters(in: .whitespaces))! }
        }
        let li = try rho("li_t_per_year")
        #expect(li.count == 3 && li[0] > 0.3 && li[1] > 0.3 && li[2] < 0, "\(li)")
        let wash = try rho("wash_water_m3_per_h")
        #expect(wash[0] > 0.3 && wash[2] < 0, "\(wash)")
    }

    /// A sample's report: scatter plots per parameter and a binned heat map, with every solved point drawn.
    @Test func sampledSweepReport() throws {
        let (report, rows) = try Self.build(
            design: .latinHypercube(samples: 60, seed: 3),
            varies: ["production.flow=40:100", "sorbent.capacity_mg_per_g=2:8", "sorbent.type=LDH,MnOx"])
        let scatter = try Self.elements(report.figures.first { $0.name == "li_t_per_year-vs-production.flow" }!.svg)
        #expect(scatter[0]["data-chart"] == "scatter" && scatter[0]["data-total"] == "\(rows.count)")
        let categorical = try Self.elements(report.figures.first { $0.name == "li_t_per_year-vs-sorbent.type" }!.svg)
        #expect(categorical[0]["data-chart"] == "scatter")
        let map = try Self.elements(report.figures.first { $0.name == "heatmap" }!.svg)[0]
        let z = Self.numbers(map["data-z"]).filter(\.isFinite)
        let li = rows.map { $0.number("li_t_per_year [t/yr]")! }
        #expect(!z.isEmpty && z.allSatisfy { $0 >= li.min()! - 1e-9 && $0 <= li.max()! + 1e-9 })
        #expect(report.html().contains("<svg "))
    }
}
