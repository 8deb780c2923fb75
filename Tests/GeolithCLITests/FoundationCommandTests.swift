import Foundation
import Testing

/// `check-config`, `plan` and `read` as a user runs them.
@Suite(.serialized) struct FoundationCommandTests {
    static let plants = ["demo", "soultz-sous-forets", "rittershoffen", "insheim"].map { "PlantConfigs/\($0).yaml" }

    @Test func checkConfigAcceptsEveryShippedPlant() throws {
        let result = try GeolithBinary.run(["check-config"] + Self.plants)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.components(separatedBy: ": OK: ").count == 5)
    }

    @Test func checkConfigRejectsABrokenFileWithPreciseMessages() throws {
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID()).yaml")
        let text = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/demo.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "type: float32, word_order: CDAB, unit: \"L/s\", range: [0, 48], deadband: 0.1",
                                  with: "type: float33, word_order: CDAB, unit: \"L/s\", range: [0, 48], deadband: 0.1")
        try text.write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let result = try GeolithBinary.run(["check-config", broken.path])
        #expect(result.status == 65, "an invalid description exits 65 in every command")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("float33") })
        // file:line:column: key path: message
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lineIndex = lines.firstIndex { $0.contains("float33") }!
        let column = lines[lineIndex].distance(from: lines[lineIndex].startIndex, to: lines[lineIndex].range(of: "float33")!.lowerBound) + 1
        #expect(line.hasPrefix("\(broken.lastPathComponent):\(lineIndex + 1):\(column): "), "\(line)")
        #expect(line.contains("devices[0].tags[0].type"), "\(line)")
    }

    @Test func planShowsRequestsWithinTheLimits() throws {
        let result = try GeolithBinary.run(["plan", "PlantConfigs/rittershoffen.yaml"])
        #expect(result.status == 0)
        let requests = result.stdout.split(separator: "\n").filter { $0.contains(" FC0") }
        #expect(requests.count >= 6)
        for request in requests {
            // "FC04 input 0…5 (6, 0 bridged)": the count is at most 125.
            let count = Int(request.split(separator: "(")[1].split(separator: ",")[0])!
            #expect(count >= 1 && count <= 125, "\(request)")
        }
    }

    /// `geolith read` decodes the right engineering values from a Modbus server Geolith did not write:
    /// pymodbus, fed values encoded by the peer's own layouts (Tests/Peers/modbus_layouts.py).
    @Test(.enabled(if: PeerPython.path != nil, "pymodbus not available (make test installs it in .venv-peers)"))
    func readDecodesValuesServedByPymodbus() throws {
        let expected: [(name: String, table: String, address: Int, type: String, order: String, scale: Double, value: Double)] = [
            ("PW1.FT101", "input", 0, "float32", "CDAB", 1, 23.75),
            ("PW1.TT101", "input", 2, "float32", "ABCD", 1, 158.5),
            ("PW1.PT101", "input", 4, "float32", "ABCD", 1, 21.25),
            ("PW1.P101.SPEED", "input", 6, "uint16", "ABCD", 0.01, 49.87),
            ("PW1.AT103", "input", 13, "int16", "ABCD", 0.01, 5.2),
            ("PW1.FQ101", "input", 26, "float64", "ABCD", 1, 123456.789),
            ("PW1.P101.RUN", "discrete_input", 0, "bool", "ABCD", 1, 1),
        ]
        let spec: [String: Any] = ["unit": 1, "tags": expected.map {
            ["table": $0.table, "address": $0.address, "type": $0.type, "order": $0.order, "scale": $0.scale, "value": $0.value]
        }]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: spec).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try PeerServer(spec: file.path)
        defer { server.stop() }
        let result = try GeolithBinary.run(["read", "PlantConfigs/demo.yaml"] + expected.map(\.name)
                                           + ["--endpoint", "127.0.0.1:\(server.port)"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for tag in expected {
            let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix(tag.name + " ") }, "\(tag.name) missing")
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if tag.type == "bool" {
                #expect(fields[1] == "true")
            } else {
                let value = try #require(Double(fields[1]))
                #expect(abs(value - tag.value) <= 1e-5 * max(1, abs(tag.value)), "\(line)")
            }
            #expect(line.hasSuffix("good"), "\(line)")
        }
    }
}

/// The Python with pymodbus, as the simulator tests find it.
enum PeerPython {
    static let path: String? = {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["GEOLITH_PEER_PYTHON"] { candidates.append(configured) }
        candidates += [GeolithBinary.repositoryRoot.appendingPathComponent(".venv-peers/bin/python").path, "/usr/bin/python3"]
        return candidates.first { candidate in
            guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
            return (try? GeolithBinary.runProgram(candidate, ["-c", "import pymodbus"]))?.status == 0
        }
    }()
}

/// pymodbus_server.py, running until stopped.
final class PeerServer {
    let process = Process()
    let port: Int

    init(spec: String) throws {
        process.executableURL = URL(fileURLWithPath: PeerPython.path!)
        process.arguments = [GeolithBinary.repositoryRoot.appendingPathComponent("Tests/Peers/pymodbus_server.py").path, spec]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n") && Date() < deadline {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "pymodbus server: \(text)"])
        }
        self.port = port
    }

    func stop() { kill(process.processIdentifier, SIGKILL) }
}

extension GeolithBinary {
    /// Runs any program (not the geolith binary) to completion.
    static func runProgram(_ path: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(2000) }
        return Result(status: process.isRunning ? -1 : process.terminationStatus, stdout: "", stderr: "")
    }
}

@Suite struct DemoCommandTests {
    /// The binary alone, copied where there is no repository and no resource bundle, runs the demo on a shipped
    /// scenario and serves the dashboard: the demo plant, the scenarios and the page are embedded in it at build time.
    @Test func theBinaryAloneCarriesItsFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-alone-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("geolith")
        try FileManager.default.copyItem(at: GeolithBinary.url, to: binary)
        let demo = try DaemonTests.Child(["demo", "--scenario", "comm-faults", "--seconds", "60", "--speed", "60", "--http", "127.0.0.1:0"],
                                         executable: binary, directory: folder)
        defer { if demo.process.isRunning { demo.signal(SIGKILL) } }
        #expect(demo.waitFor(60) { $0.contains("dashboard: http://127.0.0.1:") }, "\(demo.text)")
        let url = try #require(demo.text.firstMatch(of: /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/).map { String($0.1) })
        #expect(demo.text.contains("scenario comm-faults"), "\(demo.text)")
        let page = MonitoringOnlyCLITests.get(try #require(URL(string: url)))
        #expect(page?.status == 200)
        #expect(page?.body.contains("<svg id=\"schematic\"") == true && page?.body.contains("function applyAlarm(") == true)
        #expect(page?.body.contains(":root{--bg:") == true && page?.body.contains("const BOXES = [") == true, "CSS and both scripts in the page")
        demo.signal(SIGTERM)
        #expect(demo.waitForExit() == 0, "\(demo.text)")
    }

    @Test func demoRunsAndStops() throws {
        let result = try GeolithBinary.run(["demo", "--seconds", "3", "--speed", "60", "--http", "127.0.0.1:0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("simulator: demo-wellhead on tcp://127.0.0.1:"))
        #expect(result.stdout.contains("dashboard: http://127.0.0.1:"), "\(result.stdout)")
    }
}

@Suite struct ColumnCommandTests {
    /// `geolith column PLANT.yaml --svg` runs the plant's column cycle and draws it.
    @Test func columnFromAPlantDescriptionDrawsTheCycle() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("column-\(UUID()).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let result = try GeolithBinary.run(["column", "PlantConfigs/rittershoffen.yaml", "--cells", "40", "--cycles", "1", "--svg", svg.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("plant rittershoffen: the column of dle.model dynamic"))
        #expect(result.stdout.contains("brine Li 170 mg/L"))
        #expect(result.stdout.contains("mass balance"))
        let drawing = try String(contentsOf: svg, encoding: .utf8)
        #expect(drawing.hasPrefix("<svg") || drawing.contains("<svg"))
        #expect(drawing.contains("polyline") || drawing.contains("path"))
    }
}
