import ArgumentParser
import CommandSupport
import Foundation
import Modbus
import RegisterVocabulary
import Simulator

/// `geolith-bench modbus`: requests/s and latency of our client against our server on loopback, and in the
/// same run the plain libmodbus C loop (client and server in C), with the ratio.
struct BenchModbus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modbus",
        abstract: "Modbus TCP requests/s and p50/p99 latency, ours against a plain libmodbus C loop, for 1, 10 and 125 registers.")

    init() {}

    init(requests: Int, runs: Int, cPeer: String?) {
        self.requests = requests
        self.runs = runs
        self.cPeer = cPeer
    }

    @Option(help: "Requests per size and peer.")
    var requests: Int = 20_000

    @Option(help: "Runs per measurement; the median is reported.")
    var runs: Int = 3

    @Option(help: "The C peer (Benchmarks/modbus-c/build/modbus-c-bench); without it only our figures are printed.")
    var cPeer: String?

    struct Figures {
        var rps: Double
        var p50: Double
        var p99: Double
    }

    func validate() throws {
        guard (1000...1_000_000).contains(requests) else { throw ValidationError("--requests must be 1,000…1,000,000") }
        guard (1...15).contains(runs) else { throw ValidationError("--runs must be 1…15") }
    }

    func run() async throws {
        let store = RegisterStore()
        store.update { tables in tables.set(.holding, address: 0, values: (0..<125).map { UInt16($0) }) }
        let server = ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), unitID: 1, store: store)
        let port = try server.start()
        defer { server.stop() }
        var cServer: (Process, Int)?
        if let cPeer { cServer = try startCServer(cPeer) }
        defer { if let (process, _) = cServer { kill(process.processIdentifier, SIGKILL) } }

        print("loopback, one connection, one request in flight; \(requests) requests per size, median of \(runs) runs")
        print("size  ours req/s   p50 µs  p99 µs │ C loop req/s  p50 µs  p99 µs │ ratio │ C client→our server  our client→C server")
        for size in [1, 10, 125] {
            let ours = try await median { try await swiftClient(port: port, size: size) }
            var line = String(format: "%4d  %10.0f  %7.1f %7.1f", size, ours.rps, ours.p50, ours.p99)
            if let cPeer, let (_, cPort) = cServer {
                let plain = try await median { try cClient(cPeer, port: cPort, size: size) }
                let cToOurs = try await median { try cClient(cPeer, port: port, size: size) }
                let oursToC = try await median { try await swiftClient(port: cPort, size: size) }
                line += String(format: " │ %12.0f %7.1f %7.1f │ %4.2f× │ %10.0f req/s       %10.0f req/s",
                               plain.rps, plain.p50, plain.p99, ours.rps / plain.rps, cToOurs.rps, oursToC.rps)
            }
            print(line)
        }
        // The codecs must not show in those figures: decoding 125 registers (62 float32 values).
        let registers = (0..<125).map { UInt16(truncatingIfNeeded: $0 &* 40503) }
        let clock = ContinuousClock()
        var sink = 0.0
        let iterations = 200_000
        let start = clock.now
        registers.withUnsafeBufferPointer { buffer in
            for _ in 0..<iterations {
                for value in stride(from: 0, to: 124, by: 2) {
                    sink += RegisterCodec.decodeRaw(UnsafeBufferPointer(rebasing: buffer[value..<value + 2]), as: .float32, order: .cdab)
                }
            }
        }
        let perBlock = (clock.now - start).seconds / Double(iterations) * 1e9
        print(String(format: "decoding 125 registers as 62 float32 (CDAB): %.0f ns per block%@", perBlock, sink == 1 ? " " : ""))
    }

    private func median(_ measure: () async throws -> Figures) async throws -> Figures {
        var all: [Figures] = []
        for _ in 0..<runs { all.append(try await measure()) }
        func mid(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Figures(rps: mid(all.map(\.rps)), p50: mid(all.map(\.p50)), p99: mid(all.map(\.p99)))
    }

    private func swiftClient(port: Int, size: Int) async throws -> Figures {
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port))
        // As the poller does: the loop runs on the connection's own thread, so a request is no thread hop.
        return try await withTaskExecutorPreference(client.executor) {
            try await measure(client, size: size)
        }
    }

    private func measure(_ client: ModbusClient, size: Int) async throws -> Figures {
        var buffer = [UInt16](repeating: 0, count: 125)
        for _ in 0..<1000 { try await client.read(.holding, address: 0, count: size, into: &buffer) }
        var latencies = [Double](repeating: 0, count: requests)
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<requests {
            let t0 = clock.now
            try await client.read(.holding, address: 0, count: size, into: &buffer)
            latencies[index] = (clock.now - t0).seconds * 1e6
        }
        let elapsed = (clock.now - start).seconds
        await client.close()
        latencies.sort()
        return Figures(rps: Double(requests) / elapsed, p50: latencies[requests / 2], p99: latencies[requests * 99 / 100])
    }

    func startCServer(_ path: String) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["server", "127.0.0.1", "0"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ValidationError("the C peer did not start: \(line)")
        }
        return (process, port)
    }

    func cClient(_ path: String, port: Int, size: Int) throws -> Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["client", "127.0.0.1", String(port), String(size), String(requests)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        var fields: [String: Double] = [:]
        for pair in output.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=")
            if parts.count == 2 { fields[String(parts[0])] = Double(parts[1]) }
        }
        guard let rps = fields["rps"], let p50 = fields["p50_us"], let p99 = fields["p99_us"] else {
            throw ValidationError("the C peer printed: \(output)")
        }
        return Figures(rps: rps, p50: p50, p99: p99)
    }
}
