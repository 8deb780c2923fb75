import ArgumentParser

/// `geolith bench …`: the benchmarks, each printing its figures and the ratio to its peer.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a benchmark and print its figures (medians, and ratios to the named peer).",
        subcommands: [BenchModbus.self, BenchSimulate.self, BenchHistorian.self, BenchFleet.self, BenchMonitor.self, BenchModel.self,
                      BenchReplay.self, BenchSweep.self, BenchHTTP.self, BenchCalibrate.self, BenchHostile.self])
}
