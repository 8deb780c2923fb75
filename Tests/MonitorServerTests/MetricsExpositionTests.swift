import Foundation
import Monitor
import MonitorServer
import Testing

/// /metrics of a live monitor: the latency histograms count every successful request, and the whole exposition
/// (state and histograms) passes Prometheus's own parser.
@Suite(.serialized) struct MetricsExpositionTests {
    /// The value of each line `name{labels} value` whose text starts with `prefix`, by its labels.
    static func samples(_ text: String, _ prefix: String) -> [(labels: String, value: Double)] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { line in
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            return (String(line[..<space]), value)
        }
    }

    @Test(.timeLimit(.minutes(2))) func latencyHistogramsCountEverySuccessfulRequest() async throws {
        let monitor = try await LiveMonitor()
        #expect(try await monitor.waitUntilDevicesUp())
        // Let each device make a few requests.
        let deadline = ContinuousClock.now + .seconds(20)
        while monitor.state.deviceStatuses.contains(where: { $0.requests < 5 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        func successes() -> [String: Int] {
            Dictionary(
                uniqueKeysWithValues: monitor.state.deviceStatuses.map {
                    ($0.name, $0.requests - $0.errors.values.reduce(0, +))
                })
        }
        let before = successes()
        let text = try await monitor.get("/metrics").body
        let after = successes()
        await monitor.stop()

        #expect(text.contains("# TYPE geolith_modbus_request_duration_seconds histogram"))
        #expect(text.contains("# HELP geolith_modbus_request_duration_seconds "))
        for device in before.keys.sorted() {
            let labels = #"plant="demo",device="\#(device)""#
            let buckets = Self.samples(text, "geolith_modbus_request_duration_seconds_bucket{\(labels),")
            let count =
                Self.samples(text, "geolith_modbus_request_duration_seconds_count{\(labels)}").first?.value ?? -1
            let sum = Self.samples(text, "geolith_modbus_request_duration_seconds_sum{\(labels)}").first?.value ?? -1
            // One bucket per bound plus +Inf, cumulative, the last equal to the count.
            #expect(buckets.count == MonitorMetrics.latencyBuckets.count + 1, "\(device): \(buckets.count) buckets")
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value }, "\(device): not cumulative")
            #expect(buckets.last?.labels.hasSuffix(#"le="+Inf"}"#) == true && buckets.last?.value == count)
            // Every successful request between start and the scrape, and no other, is in the histogram.
            #expect(
                count >= Double(before[device]!) && count <= Double(after[device]!),
                "\(device): \(count) of \(before[device]!)…\(after[device]!)")
            #expect(sum > 0 && sum < count, "\(device): loopback requests take well under a second each (sum \(sum) s)")
        }

        guard MonitorServerTests.promtool != nil else { return }
        let (status, output) = try MonitorServerTests.promtoolCheck(text)
        #expect(status == 0, "promtool on a live exposition: \(output)")
    }
}
