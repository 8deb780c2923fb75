import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Chromium, its WebDriver and a Python with selenium: what the dashboard's browser test needs.
enum BrowserTools {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    /// GEOLITH_PEER_PYTHON (set by `make test`) or the repository's .venv-peers, if it has selenium.
    static let python: String? = {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["GEOLITH_PEER_PYTHON"] { candidates.append(configured) }
        candidates.append(GeolithBinary.repositoryRoot.appendingPathComponent(".venv-peers/bin/python").path)
        return candidates.first { candidate in
            FileManager.default.isExecutableFile(atPath: candidate)
                && (try? GeolithBinary.runProgram(candidate, ["-c", "import selenium"]))?.status == 0
        }
    }()
    static var available: Bool { chromium != nil && chromedriver != nil && python != nil }
    /// `make test` sets GEOLITH_REQUIRE_BROWSER=1: there a missing browser fails the test instead of skipping it.
    static var required: Bool { ProcessInfo.processInfo.environment["GEOLITH_REQUIRE_BROWSER"] == "1" }
    static var missing: String {
        [
            chromium == nil ? "chromium" : nil, chromedriver == nil ? "chromium-driver" : nil,
            python == nil ? "selenium (venv)" : nil,
        ]
        .compactMap { $0 }.joined(separator: ", ")
    }
}

/// The dashboard in a real headless browser (Debian's chromium and chromium-driver, driven by selenium) against
/// `geolith demo` on loopback, with a scenario that raises an alarm and spoils two values at known times.
@Suite(.serialized) struct DashboardBrowserTests {
    /// At 60 simulated seconds (6 s of wall time at ×10): the wellhead temperature (normally ≈159 °C) jumps by
    /// 15 K over its H limit of 169 °C; the reinjection thermometer drops out (a float register reads NaN: bad);
    /// column 1's pressure drop spikes beyond its 5 bar span (the transmitter saturates: uncertain, clamped).
    static let scenario = """
        name: dashboard-check
        description: An alarm, a bad value and an uncertain value for the dashboard's browser test.
        events:
          - {at: 60s, for: 1h, kind: spike, signal: production.temperature, value: 15}
          - {at: 60s, for: 1h, kind: dropout, signal: reinjection.temperature}
          - {at: 60s, for: 1h, kind: spike, signal: dle.column.1.dp, value: 10}
        """
    static let alarm = "PW1.TT101:H"
    static let user = "demo-operator"

    @Test(
        .enabled(
            if: BrowserTools.available || BrowserTools.required,
            "needs chromium, chromium-driver and selenium: `make test` installs them"),
        .timeLimit(.minutes(5)))
    func dashboardInHeadlessChromium() async throws {
        try #require(BrowserTools.available, "missing: \(BrowserTools.missing) (make browser-deps peers)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-browser-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("dashboard-check.yaml")
        try Self.scenario.write(to: scenario, atomically: true, encoding: .utf8)
        let demo = try DaemonTests.Child([
            "demo", "--http", "127.0.0.1:0", "--speed", "10", "--scenario", scenario.path,
            "--folder", folder.path,
        ])
        defer { if demo.process.isRunning { demo.signal(SIGKILL) } }
        #expect(demo.waitFor(30) { $0.contains("operator token for acknowledge/shelve: ") }, "\(demo.text)")
        let (url, token) = try #require(Self.urlAndToken(demo.text), "\(demo.text)")

        let artifacts = GeolithBinary.repositoryRoot.appendingPathComponent(".build/artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("dashboard.png")
        try? FileManager.default.removeItem(at: screenshot)
        let check = try DaemonTests.Child(
            [
                GeolithBinary.repositoryRoot.appendingPathComponent("Tests/Browser/dashboard_check.py").path,
                "--url", url, "--token", token, "--user", Self.user, "--alarm", Self.alarm,
                "--bad", "reinjection.temperature", "--uncertain", "dle.column.1.dp", "--screenshot", screenshot.path,
                "--chromium", BrowserTools.chromium!, "--chromedriver", BrowserTools.chromedriver!,
            ],
            executable: URL(fileURLWithPath: BrowserTools.python!))
        defer { if check.process.isRunning { check.signal(SIGKILL) } }
        let status = check.waitForExit(240)
        print(check.text)
        #expect(status == 0, "dashboard_check.py:\n\(check.text)")
        for expected in [
            "ok: values change over time", "ok: reinjection.temperature shown bad",
            "ok: dle.column.1.dp shown uncertain",
            "ok: alarm listed", "ok: acknowledged in the page", "ok: journal:", "ok: no console errors",
        ] {
            #expect(check.text.contains(expected), "missing '\(expected)'")
        }

        // What the page showed is what the daemon recorded: the acknowledgement is in the journal, with the user.
        let journal = try await Self.getJSON(url + "api/v1/alarms/journal?limit=50") as? [[String: Any]] ?? []
        let ack = journal.first {
            ($0["source"] as? String) == Self.alarm && ($0["message"] as? String)?.hasPrefix("acknowledged") == true
        }
        #expect(ack?["user"] as? String == Self.user, "journal: \(journal)")
        let alarms = try await Self.getJSON(url + "api/v1/alarms") as? [[String: Any]] ?? []
        let alarm = alarms.first { ($0["id"] as? String) == Self.alarm }
        #expect(
            alarm?["state"] as? String == "acknowledgedActive" && alarm?["acknowledgedBy"] as? String == Self.user,
            "\(alarms)")

        // The screenshot is a real PNG, kept as the test's artifact.
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "\(png.count) bytes")
        print("dashboard screenshot: \(screenshot.path)")
        demo.signal(SIGINT)
        #expect(demo.waitForExit(30) == 0, "\(demo.text.suffix(500))")
    }

    /// The dashboard URL and operator token `geolith demo` prints.
    static func urlAndToken(_ text: String) -> (String, String)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("dashboard: ") }),
            let url = line.split(separator: " ").dropFirst().first,
            let token = line.split(separator: " ").last?.trimmingCharacters(in: CharacterSet(charactersIn: ")"))
        else { return nil }
        return (String(url), token)
    }

    static func getJSON(_ url: String) async throws -> Any {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return try JSONSerialization.jsonObject(with: data)
    }
}
