import Foundation
import Testing

/// `make test` runs the suites that take real time one at a time after the others (the Makefile's `SERIAL_SUITES`).
/// A misspelt or renamed name would silently move its suite into the parallel run, where it starves or is starved.
@Suite struct SerialSuitesTests {
    /// The names in `SERIAL_SUITES :=` (continued over backslash-ended lines).
    static func serialSuites(ofMakefile text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let first = lines.first, !first.hasPrefix("SERIAL_SUITES :=") { lines = lines.dropFirst() }
        var value = ""
        for line in lines {
            value += " " + line.replacingOccurrences(of: "SERIAL_SUITES :=", with: "")
            if !line.hasSuffix("\\") { break }
            value.removeLast()
        }
        return value.split(whereSeparator: { $0 == " " || $0 == "\\" }).map(String.init)
    }

    /// Every Swift file under Tests/, as text.
    static func testSources() throws -> [String] {
        let root = GeolithBinary.repositoryRoot.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    @Test func everySerialNameIsASuite() throws {
        let makefile = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        let names = Self.serialSuites(ofMakefile: makefile)
        #expect(names.count >= 10, "SERIAL_SUITES: \(names)")
        #expect(Set(names).count == names.count, "a name twice: \(names)")
        let sources = try Self.testSources()
        for name in names {
            let declared = sources.contains { $0.contains("struct \(name) ") || $0.contains("struct \(name) {") || $0.contains("class \(name) ") }
            #expect(declared, "SERIAL_SUITES names \(name), which no test file declares")
        }
        #expect(makefile.contains("test --parallel --skip '$(SERIAL_REGEX)'"), "the parallel run skips the serial suites")
        #expect(makefile.contains("test --no-parallel --filter '$(SERIAL_REGEX)'"), "the serial run takes exactly them")
    }

    @Test func theListIsReadOverContinuationLines() {
        let text = "A := 1\nSERIAL_SUITES := OneTests TwoTests \\\n  ThreeTests\nB := 2\n"
        #expect(Self.serialSuites(ofMakefile: text) == ["OneTests", "TwoTests", "ThreeTests"])
    }
}
