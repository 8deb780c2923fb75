import ArgumentParser
import CommandSupport
import Foundation

/// One wrk run's figures, parsed from the line the Lua `done` hook prints.
struct WrkResult {
    var requestsPerSecond: Double
    /// Latency percentiles, ms.
    var p50: Double, p90: Double, p99: Double, max: Double
    /// Socket errors and non-2xx answers.
    var errors: Int
    /// The monitor's CPU per request beyond its polling, ms (set by the caller, who can measure the server).
    var cpuPerRequest = Double.nan

    /// wrk's Lua hook: its latency percentiles are microseconds.
    static let script = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("GEOLITH requests=%d duration_us=%d errors=%d " ..
            "p50_us=%d p90_us=%d p99_us=%d max_us=%d\\n",
            summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
        end
        """

    init(requestsPerSecond: Double, p50: Double, p90: Double, p99: Double, max: Double, errors: Int) {
        (self.requestsPerSecond, self.p50, self.p90, self.p99, self.max, self.errors) = (
            requestsPerSecond, p50, p90, p99, max, errors
        )
    }

    /// Parses `GEOLITH key=value …`; nil if wrk printed no such line.
    init?(output: String) {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("GEOLITH ") }) else { return nil }
        var fields: [String: Double] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let value = Double(parts[1]) { fields[String(parts[0])] = value }
        }
        guard let requests = fields["requests"], let duration = fields["duration_us"], duration > 0,
            let p50 = fields["p50_us"],
            let p90 = fields["p90_us"], let p99 = fields["p99_us"], let max = fields["max_us"]
        else { return nil }
        self.init(
            requestsPerSecond: requests / (duration / 1e6), p50: p50 / 1000, p90: p90 / 1000, p99: p99 / 1000,
            max: max / 1000,
            errors: Int(fields["errors"] ?? 0))
    }

    /// The median of each figure over several runs.
    static func median(_ results: [WrkResult]) -> WrkResult {
        func mid(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        var median = WrkResult(
            requestsPerSecond: mid(results.map(\.requestsPerSecond)), p50: mid(results.map(\.p50)),
            p90: mid(results.map(\.p90)), p99: mid(results.map(\.p99)), max: mid(results.map(\.max)),
            errors: results.map(\.errors).reduce(0, +))
        median.cpuPerRequest = mid(results.map(\.cpuPerRequest))
        return median
    }

    func line(name: String, connections: Int) -> String {
        "  " + name.padding(toLength: 30, withPad: " ", startingAt: 0)
            + String(
                format:
                    " %3d conn: %6.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %6.2f ms  ",
                connections, requestsPerSecond, p50, p90, p99, max)
            // The server's CPU per request, when the run measured it (not where other work shares the process).
            + (cpuPerRequest.isNaN ? "" : String(format: "CPU %5.2f ms/req  ", cpuPerRequest))
            + "errors \(errors)"
    }
}

extension BenchHTTP {
    static func writeScript() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-wrk-\(UUID()).lua").path
        try WrkResult.script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// One wrk run against `url`; its output is read to the end, with a deadline.
    func runWrk(url: String, connections: Int, script: String) throws -> WrkResult {
        try Self.runWrk(wrk, url: url, threads: threads, connections: connections, seconds: seconds, script: script)
    }

    static func runWrk(_ wrk: String, url: String, threads: Int, connections: Int, seconds: Int, script: String) throws -> WrkResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = [
            "-t", String(min(threads, connections)), "-c", String(connections), "-d", "\(seconds)s",
            "--timeout", "10s", "-s", script, url,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let deadline = Date().addingTimeInterval(Double(seconds) + 30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        guard let result = WrkResult(output: output) else {
            throw ValidationError("wrk printed no figures:\n\(output)")
        }
        return result
    }
}
