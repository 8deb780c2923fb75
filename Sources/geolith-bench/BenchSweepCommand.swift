import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessStudies

/// `geolith-bench sweep`: points per second of a steady-state sweep at 1 and 2 jobs, and the scaling between.
struct BenchSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract:
            "Points per second of a 100,000-point steady-state sweep at --jobs 1 and 2, and the scaling (≥ 1.8×).",
        discussion: """
            The sweep is the real one (geolith sweep FILE --vary production.flow=40:100:100 --vary \
            dle.cycle_bed_volumes.load=10:40:100 --vary brine.li=100:250:10): every point set, solved, its KPIs read and \
            its CSV row formatted, rows handed over in point order. The bytes go to a counter instead of a file, so the \
            disk is not measured. Runs alternate between the job counts so that load from other processes hits both \
            alike; the outputs of both job counts are checked to be identical.
            """)

    @Argument(help: "Plant description (default PlantConfigs/rittershoffen.yaml).")
    var file: String = "PlantConfigs/rittershoffen.yaml"

    @Option(help: "Runs per job count; the median is reported.")
    var runs: Int = 5

    @Option(help: "Job counts to compare (the ratio is of the last to the first).")
    var jobs: [Int] = [1, 2]

    func validate() throws {
        guard (1...100).contains(runs) else { throw ValidationError("--runs must be 1...100") }
        guard !jobs.isEmpty, jobs.allSatisfy({ (1...256).contains($0) }) else {
            throw ValidationError("--jobs must be 1...256")
        }
    }

    func run() throws {
        let (plant, text) = try loadPlantText(file)
        let varies = ["production.flow=40:100:100", "dle.cycle_bed_volumes.load=10:40:100", "brine.li=100:250:10"]
        let definition = try SweepDefinition(
            plant: plant, plantFile: file, plantText: text, settings: [],
            plan: try SweepPlan(dimensions: try varies.map { try SweepDimension(parsing: $0) }, design: .grid),
            model: .steady)
        let points = definition.plan.count
        print(
            "bench sweep: \(file), \(points) points (\(varies.joined(separator: " "))), \(runs) runs per job count, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        var rates: [Int: [Double]] = [:]
        var cpu: [Int: [Double]] = [:]
        var digests: [Int: UInt64] = [:]
        var bytes = 0
        for _ in 0..<runs {
            for j in jobs {
                var digest: UInt64 = 0xCBF2_9CE4_8422_2325
                var count = 0
                let start = ContinuousClock.now
                let cpuStart = Self.processCPUSeconds()
                let summary = try SweepRunner.run(
                    definition, options: .init(jobs: j),
                    write: { chunk in
                        count += chunk.count
                        // FNV-1a of the last byte of each chunk and the count: cheap, and order-sensitive.
                        digest = (digest ^ UInt64(chunk.last ?? 0) ^ UInt64(chunk.count)) &* 0x0000_0100_0000_01B3
                    })
                let seconds = ProgressDisplay.seconds(ContinuousClock.now - start)
                cpu[j, default: []].append((Self.processCPUSeconds() - cpuStart) / Double(points))
                guard summary.points == points else { throw ValidationError("sweep stopped early") }
                rates[j, default: []].append(Double(points) / seconds)
                if let previous = digests[j], previous != digest {
                    throw ValidationError("output differs between runs")
                }
                digests[j] = digest
                bytes = count
            }
        }
        var medians: [Int: Double] = [:]
        for j in jobs {
            let sorted = rates[j]!.sorted()
            medians[j] = sorted[sorted.count / 2]
            let cpuPerPoint = cpu[j]!.sorted()[cpu[j]!.count / 2]
            print(
                String(
                    format: "  --jobs %d  median %9.0f points/s (min %.0f, max %.0f)  %.2f µs/point, %.2f µs CPU, %.1f MB",
                    j, medians[j]!, sorted.first!, sorted.last!, 1e6 / medians[j]!, cpuPerPoint * 1e6,
                    Double(bytes) / 1e6))
        }
        if jobs.count > 1, let first = jobs.first, let last = jobs.last {
            let ratio = medians[last]! / medians[first]!
            let target = last == 2 * first ? "  target ≥ 1.8×: \(ratio >= 1.8 ? "met" : "NOT met")" : ""
            print(String(format: "  scaling --jobs %d → %d: %.2f×", first, last, ratio) + target)
        }
        print("  (CPU µs/point: the process's user + system time per point; if it stays flat as jobs grow while the")
        print("   wall rate does not, the cores were shared with other work; load average now \(Self.loadAverage()))")
        let distinct = Set(digests.values).count
        print("  outputs identical across job counts: \(distinct == 1 ? "yes" : "NO")")
    }

    /// User plus system CPU time of this process so far, in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The 1-minute load average, or "unknown".
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init)
            ?? "unknown"
    }
}
