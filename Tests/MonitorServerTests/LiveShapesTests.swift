import Foundation
import Historian
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorServer
import PlantConfig
import RegisterVocabulary
import Testing

/// One shape per thing (issue 18, point 2): a tag, a KPI, an alarm and a journal entry read the same over REST and
/// on the live stream, with quality as an object.
@Suite struct LiveShapesTests {
    typealias Object = [String: Any]

    static func object(_ text: String) -> Object? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? Object
    }

    /// A JSON value's text with sorted keys, to compare two values.
    static func canonical(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else {
            return "(none)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func array(_ text: String) -> [Object] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Object] ?? []
    }

    /// The data of each event of a stream's body, by event name, in order.
    static func events(_ body: String) -> [(name: String, data: Object)] {
        body.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard let name = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst(7),
                  let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst(6), let object = object(String(data)) else { return nil }
            return (String(name), object)
        }
    }

    @Test func aTagReadsTheSameOverRESTAndTheStream() async throws {
        let state = try MonitorServerTests.state()
        // What the state holds for a tag never read, published as the poller would.
        state.feed.publish(tag: "PW1.TT101", value: TagValue(value: .nan, quality: .uncertain(.initialValue), time: 0))
        state.feed.publish(tag: "PW1.FT101", value: TagValue(value: 24, quality: .bad(.exception, detail: 2), time: 1_000))
        let app = buildApplication(state: state, configuration: HTTPConfiguration())
        try await app.test(.router) { client in
            let rest = try await client.execute(uri: "/api/v1/tags/PW1.TT101", method: .get) { Self.object(String(buffer: $0.body)) }
            let stream = try await client.execute(uri: "/api/v1/stream?after=0&limit=2", method: .get) { Self.events(String(buffer: $0.body)) }
            #expect(stream.map(\.name) == ["tag", "tag"])
            let live = try #require(stream.first?.data)
            #expect(Set(live.keys) == ["name", "value", "quality", "time"])
            let shared = try #require(rest).filter { live.keys.contains($0.key) }
            #expect(Self.canonical(shared) == Self.canonical(live), "REST \(rest ?? [:]) vs stream \(live)")
            #expect(Self.canonical(live["quality"]) == #"{"good":false,"reason":"initialValue","status":"uncertain"}"#)
            let bad = stream[1].data
            #expect(Self.canonical(bad["quality"]) == #"{"detail":2,"good":false,"reason":"exception","status":"bad"}"#)
            #expect(bad["value"] as? Double == 24 && bad["time"] as? Int == 1_000)
        }
    }

    /// An alarm event carries the alarm as `GET /alarms` lists it and the journal entry as `GET /alarms/journal`
    /// holds it (the dashboard applies both without asking again).
    @Test func anAlarmEventCarriesTheAlarmAndItsJournalEntry() async throws {
        let plant = try PlantLoader.load(path: MonitorServerTests.repository.appendingPathComponent("PlantConfigs/demo.yaml").path)
        let state = MonitorState(plant: plant, historian: try SQLiteHistorian.inMemory())
        try state.shelve("PW1.TT101:H", user: "alice", for: 1_800_000, at: 1_000)
        let app = buildApplication(state: state, configuration: HTTPConfiguration())
        try await app.test(.router) { client in
            let stream = try await client.execute(uri: "/api/v1/stream?after=0&limit=1", method: .get) { Self.events(String(buffer: $0.body)) }
            let event = try #require(stream.first)
            #expect(event.name == "alarm")
            let alarms = try await client.execute(uri: "/api/v1/alarms", method: .get) { Self.array(String(buffer: $0.body)) }
            let listed = try #require(alarms.first { $0["id"] as? String == "PW1.TT101:H" })
            #expect(Self.canonical(event.data["alarm"]) == Self.canonical(listed))
            #expect(listed["shelvedUntil"] as? Int == 1_801_000)
            let journal = try await client.execute(uri: "/api/v1/alarms/journal?from=0&to=10000", method: .get) {
                Self.array(String(buffer: $0.body))
            }
            var stored = try #require(journal.first)
            stored["id"] = NSNull()
            #expect(Self.canonical(event.data["journal"]) == Self.canonical(stored))
            #expect(stored["kind"] as? String == "alarm" && stored["user"] as? String == "alice")
            let detail = try #require(stored["detail"] as? Object)
            #expect(detail["event"] as? String == "shelved" && detail["priority"] is Int)
        }
    }

    /// A KPI event is the KPI as `GET /kpis` lists it; a device event names the fields of a device that changed.
    @Test func kpiAndDeviceEventsUseTheRESTFields() async throws {
        let state = try MonitorServerTests.state()
        state.feed.publish(.kpi(KPIValue(name: "li_recovery", label: "Li recovery", value: 91.5, unit: "%", quality: .uncertain(.stale), at: 5)))
        state.feed.publish(.device(DeviceChange(name: "demo-wellhead", up: false, lastError: "timeout", time: 6)))
        let app = buildApplication(state: state, configuration: HTTPConfiguration())
        try await app.test(.router) { client in
            let stream = try await client.execute(uri: "/api/v1/stream?after=0&limit=2", method: .get) { Self.events(String(buffer: $0.body)) }
            #expect(stream.map(\.name) == ["kpi", "device"])
            #expect(Self.canonical(stream[0].data) == #"{"idle":false,"label":"Li recovery","name":"li_recovery","#
                + #""quality":{"good":false,"reason":"stale","status":"uncertain"},"time":5,"unit":"%","value":91.5}"#)
            #expect(Self.canonical(stream[1].data) == #"{"lastError":"timeout","name":"demo-wellhead","time":6,"up":false}"#)
            let devices = try await client.execute(uri: "/api/v1/devices", method: .get) { Self.array(String(buffer: $0.body)) }
            #expect(devices.allSatisfy { Set(stream[1].data.keys).subtracting(["time"]).isSubset(of: $0.keys) })
        }
    }
}
