import Foundation
import GeolithFuzzing
import Testing

/// The fuzz harnesses as seeded property loops (issue 20, point 6): 10,000 inputs each with seed 1, or
/// GEOLITH_FUZZ_INPUTS and GEOLITH_FUZZ_SEED (`make fuzz` runs a million). Zero failures and no crash.
struct FuzzTests {
    static var inputs: Int { ProcessInfo.processInfo.environment["GEOLITH_FUZZ_INPUTS"].flatMap(Int.init) ?? 10_000 }
    static var seed: UInt64 { ProcessInfo.processInfo.environment["GEOLITH_FUZZ_SEED"].flatMap(UInt64.init) ?? 1 }

    /// The minimal plant and the shipped plants.
    static var corpus: [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let files = [root.deletingLastPathComponent().appendingPathComponent("PlantConfigTests/Fixtures/minimal.yaml")]
            + ["demo", "soultz-sous-forets", "rittershoffen", "insheim"].map {
                root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("PlantConfigs/\($0).yaml")
            }
        return files.compactMap { try? Array(Data(contentsOf: $0)) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func noInputBreaksAParser(_ target: FuzzTarget) {
        let corpus = Self.corpus
        #expect(corpus.count == 5)
        let outcome = target.run(inputs: Self.inputs, seed: Self.seed, corpus: corpus)
        print("fuzz \(target.rawValue): \(outcome.inputs) inputs, \(outcome.failures) failures, "
              + String(format: "%.1f s", outcome.seconds))
        #expect(outcome.inputs == Self.inputs)
        #expect(outcome.failures == 0, "\(outcome.examples.joined(separator: "\n"))")
    }
}
