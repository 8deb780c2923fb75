import Foundation
import Testing

/// Every shell command in the README and the guides runs, as a reader would paste it (see ``DocBlock`` for the
/// directives that say how a block is run: daemons until a line appears and then stopped with SIGINT, expected
/// output and exit codes, the environment of a cluster job).
@Suite(.serialized) struct DocCommandTests {
    /// The README and every guide.
    static let allDocuments: [String] = {
        let docs = GeolithBinary.repositoryRoot.appendingPathComponent("docs")
        let guides = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
        return ["README.md"] + guides
    }()

    /// The documents whose commands run: all, or the one GEOLITH_DOCTEST_ONLY names (while writing it).
    static let documents: [String] = {
        guard let only = ProcessInfo.processInfo.environment["GEOLITH_DOCTEST_ONLY"] else { return allDocuments }
        return allDocuments.filter { $0 == only }
    }()

    static func blocks(of document: String) throws -> [DocBlock] {
        let text = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent(document), encoding: .utf8)
        return DocBlock.blocks(in: text, file: document)
    }

    @Test(arguments: documents)
    func commandsRun(_ document: String) throws {
        let blocks = try Self.blocks(of: document)
        guard !blocks.isEmpty else { return }
        let runner = try DocRunner(repository: GeolithBinary.repositoryRoot, binary: GeolithBinary.url)
        for block in blocks where block.directives["skip"] == nil {
            let start = Date()
            let outcome = runner.run(block, script: block.directives["as"] ?? block.script)
            print("doctest \(block): \(outcome.problem == nil ? "ok" : "FAILED") in \(Int(Date().timeIntervalSince(start) * 1000)) ms")
            let tail = outcome.output.split(separator: "\n", omittingEmptySubsequences: false).suffix(40)
                .joined(separator: "\n")
            #expect(outcome.problem == nil, "\(block): \(outcome.problem ?? "")\n\(block.script)\n--- output ---\n\(tail)")
        }
    }

    /// Directives are spelt right, a skipped block says why, and a block run `as` another command names `make`
    /// targets whose recipes run that command.
    @Test func directivesAreWellFormed() throws {
        let known: Set<String> = ["stop-after", "expect", "exit", "env", "each", "as", "skip"]
        let makefile = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        let recipes = DocBlock.recipes(ofMakefile: makefile)
        var count = 0
        for document in Self.allDocuments {
            for block in try Self.blocks(of: document) {
                count += 1
                for key in block.directives.keys { #expect(known.contains(key), "\(block): unknown directive \(key)") }
                if let reason = block.directives["skip"] { #expect(reason.count >= 10, "\(block): say why it is skipped") }
                if let command = block.directives["as"] {
                    let words = command.split(separator: " ").prefix(2).joined(separator: " ")
                    let targets = block.makeTargets
                    #expect(!targets.isEmpty, "\(block): `as` stands for make targets")
                    for target in targets { #expect(recipes[target] != nil, "\(block): no make target \(target)") }
                    #expect(targets.contains { recipes[$0]?.contains { $0.contains(words) } ?? false },
                            "\(block): no recipe of \(targets) runs \(words)")
                }
            }
        }
        #expect(count >= 20, "only \(count) shell blocks found in \(Self.documents)")
    }

    /// The parser itself: fences, directives, runs.
    @Test func parsesBlocksAndDirectives() {
        let text = """
            Text.
            <!-- doctest: stop-after="ready" env="A=1 B=two" each="N=1 2 3" -->
            ```sh
            echo one
            ```
            ```yaml
            ```sh
            not a block
            ```
            ```sh
            echo two
            ```
            """
        let blocks = DocBlock.blocks(in: text, file: "x.md")
        #expect(blocks.count == 2)
        #expect(blocks.first?.line == 3)
        #expect(blocks.first?.directives["stop-after"] == "ready")
        #expect(blocks.first?.runs.map { $0["N"] } == ["1", "2", "3"])
        #expect(blocks.first?.runs.first?["B"] == "two")
        #expect(blocks.last?.script == "echo two")
        #expect(blocks.last?.directives.isEmpty == true)
        let recipes = DocBlock.recipes(ofMakefile: "X := 1\n.PHONY: a b\na: deps\n\techo a\n\tgeolith demo\nb:\n\tswift test\n")
        #expect(recipes["a"] == ["echo a", "geolith demo"])
        #expect(recipes["b"] == ["swift test"])
    }
}
