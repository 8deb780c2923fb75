import Foundation
import Testing

/// The hostile soak, short (issue 20, point 6): the monitor as a child process under a file limit of 1,024, 20
/// stalled live-stream clients and 300 idle connections kept up for 5 s against a 200-tag plant. `geolith-bench
/// hostile` exits 1 unless every probe of the API was answered, every tag is good at the end and the resident
/// set stayed within its bound; the full size (200 streams, 1,100 connections, 2,000 tags, 60 s) is
/// `make soak-hostile`.
@Suite(.serialized) struct BenchHostileTests {
    @Test func theMonitorHoldsUnderAShortFlood() throws {
        let result = try GeolithBinary.run(["hostile", "--tags", "200", "--devices", "4", "--stalled", "20",
                                            "--idle", "300", "--seconds", "5"], program: GeolithBinary.benchURL)
        #expect(result.status == 0, "\(result.stdout.suffix(3000))\n\(result.stderr.suffix(1000))")
        let api = result.stdout.split(separator: "\n").first { $0.hasPrefix("API: ") } ?? ""
        let counts = api.split(separator: " ").compactMap { Int($0) }
        #expect(counts.count >= 2 && counts[0] == counts[1] && counts[0] > 0, "every probe answered: \(api)")
        #expect(result.stdout.contains("200 at the end"), "\(result.stdout.suffix(2000))")
    }
}
