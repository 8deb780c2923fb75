import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel

/// `geolith-bench model`: full flowsheet evaluations per second on one core, recycles included.
struct BenchModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Flowsheet evaluations per second on one core (target ≥ 1,000,000/s, issue 15), median of several runs.",
        discussion: """
            Each evaluation is a full Flowsheet.solve (validation, recycle iteration to 1e-13, every stream and
            balance of the result), with the production flow changed slightly each time so no result can be reused. Runs the
            plant given (default PlantConfigs/rittershoffen.yaml if present, else built-in defaults) with its
            DLE model and with the equilibrium (isotherm) model. Beside the wall-clock rate, the rate per second of
            the thread's own CPU time, which other work on the machine does not lower.
            """
    )

    @Argument(help: "Plant description (YAML).")
    var file: String?

    @Option(help: "Evaluations per run.")
    var evaluations: Int = 200_000

    @Option(help: "Runs; the median is reported.")
    var runs: Int = 5

    func validate() throws {
        guard (1...100_000_000).contains(evaluations) else { throw ValidationError("--evaluations must be 1...1e8") }
        guard (1...100).contains(runs) else { throw ValidationError("--runs must be 1...100") }
    }

    func run() throws {
        var base: FlowsheetParameters
        var name = "built-in defaults (70 L/s, 170 mg/L)"
        let path = file ?? "PlantConfigs/rittershoffen.yaml"
        if FileManager.default.fileExists(atPath: path) {
            base = try PlantLoader.load(path: path).flowsheetParameters()
            name = path
        } else if let file {
            throw ValidationError("no such file: \(file)")
        } else {
            base = FlowsheetParameters(brine: Brine(lithium: .milligramsPerLitre(170)), productionFlow: .litresPerSecond(70))
        }
        print("bench model: \(name), \(evaluations) evaluations × \(runs) runs, one thread")
        var equilibrium = base
        equilibrium.dle.model = .equilibrium
        for (label, parameters) in [("as described (\(base.dle.model.rawValue))", base), ("equilibrium", equilibrium)] {
            var rates: [Double] = [], cpuRates: [Double] = []
            var iterations = 0
            var sink = 0.0
            for _ in 0..<runs {
                var p = parameters
                let flow = parameters.productionFlow.si
                let start = ContinuousClock.now, cpuStart = BenchCalibrate.threadCPUSeconds()
                for i in 0..<evaluations {
                    p.productionFlow = .init(si: flow * (1 + Double(i & 1023) * 1e-6))
                    let r = try Flowsheet.solve(p)
                    sink += r.productLithium.si + r.freshWater.si
                    iterations += r.iterations
                }
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                rates.append(Double(evaluations) / seconds)
                cpuRates.append(Double(evaluations) / (BenchCalibrate.threadCPUSeconds() - cpuStart))
            }
            rates.sort()
            cpuRates.sort()
            let median = rates[rates.count / 2]
            print(String(
                format: "  %@ median %10.0f eval/s  (min %.0f, max %.0f)  %.1f µs/eval  %.1f recycle iterations/eval  "
                    + "per CPU second %.0f eval/s  target ≥ 1,000,000: %@",
                label.padding(toLength: 30, withPad: " ", startingAt: 0) as NSString, median, rates.first!, rates.last!, 1e6 / median,
                Double(iterations) / Double(evaluations * runs), cpuRates[cpuRates.count / 2],
                (median >= 1_000_000 ? "met" : "NOT met") as NSString))
            if sink.isNaN { print("  (NaN in results)") }
        }
    }
}
