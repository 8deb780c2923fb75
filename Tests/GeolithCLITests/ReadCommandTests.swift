import Foundation
import Testing

/// `geolith read` against the simulator: values printed as the device shows them (integers whole, scaled values
/// to their register's decimals, floats in their shortest form), and a failing device said, not hidden.
@Suite(.serialized) struct ReadCommandTests {
    @Test func valuesArePrintedAsTheDeviceShowsThem() throws {
        let file = MonitoringOnlyCLITests.temporary("demo.yaml")
        try MonitoringOnlyCLITests.descriptions().full.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let simulator = try DaemonTests.Child(["simulate", file.path])
        defer { if simulator.process.isRunning { simulator.signal(SIGKILL) } }
        #expect(simulator.waitFor { $0.contains("demo-refinery on tcp://") }, "\(simulator.text)")
        // Each tag with the pattern its value must print in: (name, pattern).
        let expected: [(String, Regex<Substring>)] = [
            ("PW1.AT102", /^\d+(?:\.\d)?$/),            // uint16 × 0.1 g/L
            ("PW1.AT103", /^-?\d+(?:\.\d{1,2})?$/),     // int16 × 0.01 pH
            ("DLE.SORB.CAP", /^\d(?:\.\d{1,3})?$/),     // uint16 × 0.001
            ("UT.EQ701", /^\d+$/),                     // uint32 kWh totaliser: whole, never 1.01235e+06
            ("PW1.FT101", /^\d+\.\d{1,7}$/),           // float32: its shortest decimal, not 24.04975128173828
        ]
        let result = try GeolithBinary.run(["read", file.path] + expected.map(\.0))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for (name, pattern) in expected {
            let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }, "\(result.stdout)")
            let value = String(line.split(separator: " ", omittingEmptySubsequences: true)[1])
            #expect(value.wholeMatch(of: pattern) != nil, "\(name) printed as \(value)")
            #expect(line.hasSuffix("good"), "\(line)")
        }
        simulator.signal(SIGINT)
        _ = simulator.waitForExit()
        // The simulator is gone: the read fails, says so, and exits with the unavailable code.
        let down = try GeolithBinary.run(["read", file.path, "PW1.FT101", "--timeout", "200"])
        #expect(down.status == 69, "\(down.stdout)\(down.stderr)")
        #expect(down.stdout.contains("PW1.FT101") && down.stdout.contains("bad ("), "\(down.stdout)")
        #expect(down.stderr.contains("error: 1 request failed: demo-wellhead"), "\(down.stderr)")
    }
}
