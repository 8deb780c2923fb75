import Foundation
import Testing

/// `geolith-bench http` runs end to end (a small plant, one short wrk run per endpoint) and refuses to start
/// without wrk. Its figures are printed, never asserted: benchmarks are not timed tests.
@Suite(.serialized) struct BenchHTTPTests {
    static let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func refusesToRunWithoutWrk() throws {
        let result = try GeolithBinary.run(["http", "--wrk", "/nonexistent/wrk"], program: GeolithBinary.benchURL)
        #expect(result.status != 0)
        #expect(result.stderr.contains("no wrk at /nonexistent/wrk"), "\(result.stderr)")
    }

    @Test(
        .enabled(if: wrk != nil, "wrk not installed (make test and make bench-http install it)"),
        .timeLimit(.minutes(3)))
    func smallRunPrintsFiguresForEachEndpoint() throws {
        let result = try GeolithBinary.run([
            "http", "--tags", "400", "--devices", "2", "--seconds", "1", "--runs", "1",
            "--connections", "2", "--wrk", Self.wrk!,
        ], program: GeolithBinary.benchURL)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("the history endpoint returns 1000 points"), "\(result.stdout)")
        for endpoint in ["current values /api/v1/tags", "history, 1 day → 1,000 points", "/metrics"] {
            let lines = result.stdout.split(separator: "\n").filter { $0.contains(endpoint) && $0.contains("req/s") }
            #expect(lines.count == 2, "\(endpoint): one line per concurrency\n\(result.stdout)")
            #expect(lines.allSatisfy { $0.hasSuffix("errors 0") }, "\(lines)")
        }
        #expect(result.stdout.contains("poller meanwhile: 400 of 400 tags good"), "\(result.stdout)")
    }
}
