import Foundation
import GeolithFuzzing
import PlantConfig
import Testing

/// The fuzz harnesses as seeded property loops (issue 20, point 6): 10,000 inputs each with seed 1, or
/// GEOLITH_FUZZ_INPUTS and GEOLITH_FUZZ_SEED (`make fuzz` runs a million). Zero failures and no crash.
struct FuzzTests {
    static var inputs: Int { ProcessInfo.processInfo.environment["GEOLITH_FUZZ_INPUTS"].flatMap(Int.init) ?? 10_000 }
    static var seed: UInt64 { ProcessInfo.processInfo.environment["GEOLITH_FUZZ_SEED"].flatMap(UInt64.init) ?? 1 }

    /// The minimal plant and the shipped plants.
    static var corpus: [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let files = [root.appendingPathComponent("Fixtures/minimal.yaml")]
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

    /// Found by the config-loader fuzzer: a tag wider than the device's request limit loaded, then the read
    /// planner's precondition stopped `plan` and the daemon. Now it is reported.
    @Test func aTagWiderThanTheRequestLimitIsReported() throws {
        var lines = minimalLines
        lines.insert("    max_registers_per_request: 1", at: 10)
        let error = try #require(throws: PlantConfigError.self) {
            try PlantLoader.load(yaml: lines.joined(separator: "\n"), file: "narrow.yaml")
        }
        #expect(error.issues.contains { $0.keyPath == "devices[0].tags[0].type" && $0.message.contains("max_registers_per_request") },
                "\(error)")
    }
}

/// The bound on alias expansion, at its edge.
struct YAMLExpansionTests {
    @Test func countsWrittenAndExpandedNodes() throws {
        // a: 3 nodes (sequence + 2 scalars); b: a sequence holding a twice (1 + 2 × 3); keys 2 scalars; root 1.
        let size = try YAMLExpansion.check("a: &a [x, y]\nb: [*a, *a]\n", file: "t.yaml")
        #expect(size.written == 9)     // root, 2 keys, a's sequence and 2 scalars, b's sequence, 2 aliases
        #expect(size.expanded == 13)   // each alias stands for 3 nodes instead of 1
    }

    @Test func justUnderTheBoundLoadsJustOverIsRefused() throws {
        // A block of 100 scalars aliased n times adds 100·n nodes (less the n aliases' own count).
        func document(_ aliases: Int) -> String {
            "block: &b [" + Array(repeating: "v", count: 99).joined(separator: ", ") + "]\nuse: [" +
                Array(repeating: "*b", count: aliases).joined(separator: ", ") + "]\n"
        }
        let under = try YAMLExpansion.check(document(1_990), file: "under.yaml")
        #expect(under.expanded <= under.limit)
        let error = try #require(throws: PlantConfigError.self) { try YAMLExpansion.check(document(2_100), file: "over.yaml") }
        #expect(error.issues.first?.message.contains("aliases expand this document") == true)
        #expect(error.issues.first?.line == 2, "the line of the alias that crossed the bound")
    }
}
