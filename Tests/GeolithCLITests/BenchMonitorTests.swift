import Foundation
import Testing

/// `geolith-bench monitor` runs end to end on a small plant: its device servers in a child process, the
/// monitor's services, and the figures it prints (never asserted: benchmarks are not timed tests).
@Suite struct BenchMonitorTests {
    @Test(.timeLimit(.minutes(2)))
    func smallRunPollsEveryTagAndPrintsItsFigures() throws {
        let result = try GeolithBinary.run(["monitor", "--tags", "200", "--devices", "2", "--seconds", "5"], program: GeolithBinary.benchURL)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("tags good at the end: 200 of 200; overruns: 0"), "\(result.stdout)")
        for figure in ["CPU: ", "RSS: ", "scan start jitter: p50 "] {
            #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix(figure) }, "\(figure)\n\(result.stdout)")
        }
    }

    @Test func refusesOutOfRangeArguments() throws {
        let result = try GeolithBinary.run(["monitor", "--seconds", "1"], program: GeolithBinary.benchURL)
        #expect(result.status != 0)
        #expect(result.stderr.contains("seconds 5…86400"), "\(result.stderr)")
    }
}
