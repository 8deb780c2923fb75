import Foundation
import PlantConfig
import Testing

/// What the config-loader fuzzer found, kept as tests of the plant loader (the fuzz loops themselves are
/// GeolithFuzzingTests' FuzzTests).
struct FuzzFindingsTests {
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
