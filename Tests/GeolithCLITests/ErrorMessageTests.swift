import Foundation
import Testing

/// Errors a person understands: one exit code per kind of failure in every command (the table in
/// docs/operator.md), files named with what is wrong, suggestions for mistyped commands, options and names.
@Suite(.serialized) struct ErrorMessageTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-\(UUID())-\(name)").path
    }

    /// Runs geolith and checks its exit status and that standard error says `words`, without a system's dump.
    func expect(_ arguments: [String], program: URL = GeolithBinary.url, exits status: Int32, saying words: [String],
                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try GeolithBinary.run(arguments, program: program)
        let text = result.stderr + result.stdout
        #expect(result.status == status, "\(arguments): exit \(result.status)\n\(text)", sourceLocation: sourceLocation)
        for word in words {
            #expect(text.contains(word), "\(arguments): lacks \"\(word)\"\n\(text)", sourceLocation: sourceLocation)
        }
        for dump in ["NSCocoaErrorDomain", "Error Domain", "SQLite error", "errno 112345"] {
            #expect(!text.contains(dump), "\(arguments): \(dump)\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func theExitCodeTableIsTheOneDocumented() throws {
        let guide = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("docs/operator.md"), encoding: .utf8)
        let section = try #require(guide.range(of: "## Exit codes").map { guide[$0.upperBound...] })
        let documented = Set(section.matches(of: /\n\| (\d+) \|/).compactMap { Int32($0.1) })
        let help = try GeolithBinary.run(["--help"]).stdout
        let listed = Set(help.matches(of: /\n  (\d+) +[a-z]/).compactMap { Int32($0.1) }.filter { [0, 1, 64, 65, 66, 69, 70, 73, 74, 77].contains($0) })
        #expect(documented == [0, 1, 64, 65, 66, 69, 70, 73, 74, 77], "\(documented)")
        #expect(listed == documented, "--help lists \(listed)")
    }

    @Test func mistypedCommandsAndOptionsGetSuggestions() throws {
        try expect(["chek-config", "PlantConfigs/demo.yaml"], exits: 64, saying: ["did you mean 'check-config'?"])
        try expect(["modbs"], program: GeolithBinary.benchURL, exits: 64, saying: ["not a geolith-bench command", "'modbus'"])
        try expect(["read", "PlantConfigs/demo.yaml", "--devcie", "demo-dle"], exits: 64, saying: ["Did you mean '--device'?"])
        try expect(["read", "--endpoint", "127.0.0.1:1", "--address", "0", "--table", "inputs"], exits: 64,
                   saying: ["'coil', 'discrete_input', 'holding' or 'input'"])
    }

    @Test func theSameMistakeExitsTheSameInEveryCommand() throws {
        let missing = Self.temporary("none.yaml")
        for command in ["check-config", "plan", "read", "estimate", "monitor", "simulate", "column"] {
            try expect([command, missing], exits: 66, saying: ["\(missing) (plant description): no such file"])
        }
        try expect(["compare", missing, missing], exits: 66, saying: ["\(missing) (plant description): no such file"])
        let folder = FileManager.default.temporaryDirectory.path
        for command in ["check-config", "plan", "estimate"] {
            try expect([command, folder], exits: 66, saying: ["is a folder, not a file"])
        }
        for command in ["check-config", "plan", "estimate", "read"] {
            try expect([command, "Makefile"], exits: 65, saying: ["Makefile:", "YAML"])
        }
    }

    @Test func runFilesSayWhatIsWrong() throws {
        let folder = FileManager.default.temporaryDirectory.path
        try expect(["replay", folder], exits: 66, saying: ["(run): is a folder, not a file"])
        try expect(["export", folder], exits: 66, saying: ["(historian or recording): is a folder"])
        let text = Self.temporary("notes.sqlite")
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: text) }
        try expect(["replay", text], exits: 65, saying: ["not a Geolith run"])
        try expect(["export", text], exits: 65, saying: ["not a Geolith historian or recording"])
    }

    @Test func unknownNamesGetTheNearestOnes() throws {
        try expect(["read", "PlantConfigs/rittershoffen.yaml", "--device", "rittershoffen-wellhead"], exits: 64,
                   saying: ["no device \"rittershoffen-wellhead\" (did you mean \"ritt-wellhead\"?)"])
        try expect(["read", "PlantConfigs/demo.yaml", "PW1.FT10"], exits: 64, saying: ["no tag \"PW1.FT10\" (did you mean \"PW1.FT101\""])
        try expect(["plan", "PlantConfigs/demo.yaml", "--device", "dle"], exits: 64, saying: ["\"demo-dle\""])
        try expect(["simulate", "PlantConfigs/demo.yaml", "--scenario", "pump-trp"], exits: 64, saying: ["did you mean \"pump-trip\"?"])
    }

    @Test func valuesAreCheckedAndExplained() throws {
        try expect(["read", "--endpoint", "127.0.0.1:1", "--address", "0", "--unit", "300"], exits: 64, saying: ["--unit 300 is outside 0...255"])
        try expect(["read", "--endpoint", "::1:502", "--address", "0"], exits: 64, saying: ["in brackets, e.g. [::1]:502"])
        // Brackets parse; nobody listens on port 1: the device is unavailable.
        try expect(["read", "--endpoint", "[::1]:1", "--address", "0", "--timeout", "200"], exits: 69, saying: ["[::1]:1"])
        try expect(["estimate", "PlantConfigs/demo.yaml", "--set", "dle.recovery=90"], exits: 64,
                   saying: ["90 % is 0.9, or write 90%"])
        try expect(["estimate", "PlantConfigs/demo.yaml", "--set", "availability_hours_per_year=0.95"], exits: 64,
                   saying: ["looks like a fraction", "95%"])
        try expect(["sweep", "PlantConfigs/demo.yaml", "--vary", "dle.recovery=0.5:0.9:3", "--objective", "li_t_per_year"],
                   exits: 64, saying: ["--objective ranks the points of a report: add --report DIR"])
        let ok = try GeolithBinary.run(["estimate", "PlantConfigs/demo.yaml", "--set", "brine.li=200ppm", "--set", "dle.recovery=85%"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("200 mg/L Li"), "\(ok.stdout)")
    }

    @Test func checkConfigStatesRTUParity() throws {
        let file = Self.temporary("rtu.yaml")
        try """
            id: r
            name: RTU meters
            devices:
              - name: meter
                endpoint: {protocol: rtu, device: /dev/ttyUSB0, baud: 19200}
                unit_id: 3
                tags: [{name: E, table: holding, address: 0, type: uint32, unit: kWh}]
            """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try GeolithBinary.run(["check-config", file])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("rtu:/dev/ttyUSB0@19200 8E1 (parity even) unit 3"), "\(result.stdout)")
        #expect(result.stdout.contains("parity: not given: even, the Modbus serial default"), "\(result.stdout)")
        try expect(["check-config", file.replacingOccurrences(of: ".yaml", with: "-x.yaml")], exits: 66, saying: ["no such file"])
    }

    @Test func theDemoRemovesItsTemporaryHistoryWhenStopped() throws {
        for signal in [SIGINT, SIGTERM] {
            let demo = try DaemonTests.Child(["demo", "--http", "127.0.0.1:0", "--speed", "60"])
            defer { if demo.process.isRunning { demo.signal(SIGKILL) } }
            #expect(demo.waitFor { $0.contains("dashboard: http://") }, "\(demo.text)")
            let folder = try #require(demo.text.firstMatch(of: /history in (\S+)/).map { String($0.1) })
            #expect(FileManager.default.fileExists(atPath: folder))
            demo.signal(signal)
            #expect(demo.waitForExit(30) == 0, "\(demo.text)")
            #expect(!FileManager.default.fileExists(atPath: folder), "\(folder) left behind after signal \(signal)")
        }
    }
}
