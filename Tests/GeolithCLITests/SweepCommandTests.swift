import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct SweepCommandTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geolith-cli-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let grid = [
        "PlantConfigs/rittershoffen.yaml", "--vary", "production.flow=50:90:5",
        "--vary", "sorbent.capacity_mg_per_g=3:7:3", "--set", "dle.model=equilibrium", "--quiet",
    ]

    /// `--out` writes into the file it names, never a replacement renamed over it: a symbolic link stays a link and
    /// its target gets the CSV (a sweep run as root with `--out /dev/null` once left a regular file in /dev/null's place).
    @Test func outWritesThroughALinkWithoutReplacingIt() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target.csv").path, link = dir.appendingPathComponent("link.csv").path
        _ = FileManager.default.createFile(atPath: target, contents: Data("old\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try GeolithBinary.run(["sweep"] + Self.grid + ["--out", link])
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: link)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "--out replaced the link")
        let csv = try String(contentsOfFile: target, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 16 && !csv.hasPrefix("old"), "\(csv.prefix(200))")
    }

    /// The sweep writes its CSV and report; the Pareto plot is a parseable SVG with the front highlighted.
    @Test func sweepWritesCSVAndReport() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try GeolithBinary.run(["sweep"] + Self.grid + ["--report", dir.path, "--jobs", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("15 points") && result.stderr.contains("15 ok"))
        let csv = try String(contentsOf: dir.appendingPathComponent("results.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 16)
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("## Best points by li_t_per_year") && md.contains("![") && md.contains("(pareto.svg)"))
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg ") && !html.contains("<script"))
        let svg = try Data(contentsOf: dir.appendingPathComponent("pareto.svg"))
        final class Front: NSObject, XMLParserDelegate {
            var indices: [String] = []
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]
            ) {
                if attributes["class"] == "pareto" {
                    indices = (attributes["data-index"] ?? "").split(separator: " ").map(String.init)
                }
            }
        }
        let front = Front()
        let parser = XMLParser(data: svg)
        parser.delegate = front
        #expect(parser.parse())
        #expect(!front.indices.isEmpty && front.indices.allSatisfy { Int($0).map { (0..<15).contains($0) } == true })
    }

    /// Three shards run as separate processes (as a Slurm array would) merge into the unsharded run's bytes.
    @Test func shardsFromSeparateProcessesMergeToTheSameBytes() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole.csv").path
        #expect(try GeolithBinary.run(["sweep"] + Self.grid + ["--out", whole]).status == 0)
        var shards: [String] = []
        for k in 1...3 {
            let path = dir.appendingPathComponent("shard-\(k).csv").path
            let result = try GeolithBinary.run(
                ["sweep"] + Self.grid + ["--shard", "\(k)/3", "--out", path, "--jobs", "1"])
            #expect(result.status == 0, "\(result.stderr)")
            shards.append(path)
        }
        let merged = dir.appendingPathComponent("merged.csv").path
        let report = dir.appendingPathComponent("report").path
        let result = try GeolithBinary.run([
            "sweep", "merge", shards[2], shards[0], shards[1], "--out", merged, "--report", report,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: merged)) == Data(contentsOf: URL(fileURLWithPath: whole)))
        #expect(FileManager.default.fileExists(atPath: report + "/heatmap.svg"))
        let missing = try GeolithBinary.run(["sweep", "merge", shards[0], shards[1], "--out", merged + ".2"])
        #expect(missing.status != 0 && missing.stderr.contains("missing shard(s) 3/3"))
        #expect(!FileManager.default.fileExists(atPath: merged + ".2"), "a refused merge leaves no file")
    }

    @Test(arguments: [
        (["--vary", "production.flwo=1:2:3"], "did you mean production.flow"),
        (["--vary", "production.flow=50:100:0"], "steps must be a whole number ≥ 1"),
        (["--vary", "production.flow=50:100:3", "--shard", "0/3"], "K must be 1...3"),
        (["--vary", "production.flow=50:100:3", "--shard", "two"], "expected K/N"),
        (["--vary", "production.flow=50:100:3", "--shard", "1/2", "--report", "/tmp/x"], "merge the shards first"),
        (["--vary", "production.flow=50:100:3", "--objective", "li_per_year", "--report", "/nonexistent/r"], "did you mean li_t_per_year"),
        (["--vary", "production.flow=50:100:3", "--objective", "li_t_per_year:most", "--report", "/nonexistent/r"], "the goal is max or min"),
        (["--vary", "production.flow=50:100:3", "--objective", "li_t_per_year"], "--objective ranks the points of a report"),
        (["--vary", "production.flow=50:100"], "a grid needs steps"),
        (["--vary", "production.flow=50:100:3", "--samples", "10"], "give the interval only"),
        (["--vary", "production.flow=50:100:3", "--seed", "4"], "give --samples N too"),
        (["--vary", "production.flow=50:100:3", "--set", "production.flow=3"], "both set (--set) and varied"),
        (["--vary", "production.flow=50:100:3", "--jobs", "0"], "--jobs must be 1...1024"),
        (["--vary", "production.flow=50:100:3", "--model", "fast"], "Please provide one of 'steady' and 'dynamic'"),
        ([String](), "give at least one --vary"),
    ])
    func badInputIsRefusedWithTheReason(arguments: [String], message: String) throws {
        let result = try GeolithBinary.run(["sweep", "PlantConfigs/demo.yaml"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func compareFormats() throws {
        let text = try GeolithBinary.run([
            "compare", "PlantConfigs/rittershoffen.yaml", "--variant", "load20:dle.cycle_bed_volumes.load=20",
            "--variant", "flow90:production.flow=90,brine.li=180",
        ])
        #expect(text.status == 0, "\(text.stderr)")
        let plant = try String(
            contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/rittershoffen.yaml"), encoding: .utf8)
        let load = try #require(plant.firstMatch(of: /cycle_bed_volumes: \{load: ([0-9.]+),/)?.1)
        #expect(text.stdout.contains("load20: dle.cycle_bed_volumes.load \(load) → 20.0 [DLE]"), "\(text.stdout)")
        let csv = try GeolithBinary.run([
            "compare", "PlantConfigs/rittershoffen.yaml", "PlantConfigs/insheim.yaml", "--format", "csv",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first == "kpi,unit,case,value,difference,relative_difference,stage,explanation")
        #expect(rows.contains { $0.hasPrefix("li_t_per_year,t/yr,insheim,") })
        let json = try GeolithBinary.run([
            "compare", "PlantConfigs/demo.yaml", "--variant", "a:refining.yield=0.7", "--format", "json",
        ])
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) is [String: Any])
        let markdown = try GeolithBinary.run([
            "compare", "PlantConfigs/demo.yaml", "--variant", "a:refining.yield=0.7", "--format", "markdown",
        ])
        #expect(markdown.stdout.hasPrefix("# Comparison: demo vs a"))
        let unknown = try GeolithBinary.run(["compare", "PlantConfigs/demo.yaml", "--variant", "a:refining.yeild=0.7"])
        #expect(unknown.status != 0 && unknown.stderr.contains("did you mean refining.yield"))
        let alone = try GeolithBinary.run(["compare", "PlantConfigs/demo.yaml"])
        #expect(alone.status != 0 && alone.stderr.contains("two or more"))
        let badVariant = try GeolithBinary.run(["compare", "PlantConfigs/demo.yaml", "--variant", "refining.yield=0.7"])
        #expect(badVariant.status != 0 && badVariant.stderr.contains("name:key=value"))
    }
}
