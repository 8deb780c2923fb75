import ArgumentParser
import CommandSupport

/// `geolith-bench …`: the benchmarks, each printing its figures and the ratio to its peer (Benchmarks/README.md).
/// A program of its own, so that `geolith` carries no benchmark code; `make bench-*` and `make soak-*` run it.
@main
struct GeolithBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geolith-bench",
        abstract: "Run a benchmark of Geolith and print its figures (medians, and ratios to the named peer).",
        discussion: "Exit codes as geolith's (geolith --help).",
        version: "0.1.0",
        subcommands: [BenchModbus.self, BenchSimulate.self, BenchHistorian.self, BenchFleet.self, BenchMonitor.self, BenchModel.self,
                      BenchReplay.self, BenchSweep.self, BenchHTTP.self, BenchCalibrate.self, BenchHostile.self])

    static func main() async {
        await CommandMain.run(GeolithBench.self, groups: [.init(path: [], subcommands: configuration.subcommands)])
    }
}
