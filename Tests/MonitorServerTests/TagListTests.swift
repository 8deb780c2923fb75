import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Monitor
@testable import MonitorServer
import PlantConfig
import RegisterVocabulary
import Testing

/// `GET /api/v1/tags` writes each tag's static parts once per loaded plant (``TagList``): the bytes must be those
/// of ``TagShape`` through Codable for any value, and a reload must show the new plant's descriptions and limits.
@Suite struct TagListTests {
    static let values = JSONShapeTests.values.compactMap { $0 } + [
        TagValue(value: 1_234.567_890_123, quality: .good, time: 1),
        TagValue(value: .nan, quality: .uncertain(.initialValue), time: 0),
        TagValue(value: 7, quality: .bad(.exception, detail: 65_535), time: 1_764_000_000_999),
        TagValue(value: -1e300, quality: .uncertain(.incompleteCycle), time: 42),
    ]

    static func text(_ writer: JSONWriter) -> String { String(decoding: writer.bytes, as: UTF8.self) }

    /// The bytes of the list through ``TagShape``'s Codable conformance, a lookup of each tag's value by name.
    static func expected(_ plant: Plant, _ values: [TagValue]) -> String {
        let byName = Dictionary(zip(plant.allTags.map(\.name), values), uniquingKeysWith: { first, _ in first })
        let shapes = plant.devices.flatMap { device in device.tags.map { TagShape(tag: $0, device: device.name, value: byName[$0.name]) } }
        return text(JSONBodyEncoder.encodeThroughCodable(shapes))
    }

    @Test func everyTagOfTheDemoPlantWithEveryKindOfValueWritesTheBytesOfTagShape() throws {
        let plant = try MonitorServerTests.state().plant
        let list = TagList(plant: plant)
        for shift in Self.values.indices {
            let values = plant.allTags.indices.map { Self.values[($0 + shift) % Self.values.count] }
            let direct = Self.text(list.write(values: values))
            #expect(direct == Self.expected(plant, values))
            #expect((try? JSONSerialization.jsonObject(with: Data(direct.utf8))) != nil)
        }
    }

    /// Text that must be escaped, text beyond ASCII, a tag without unit symbol or range, limits of one kind only,
    /// and a name twice (a lookup by name finds the first tag's value for both).
    @Test func escapesUnicodeAndARepeatedNameWriteTheBytesOfTagShape() throws {
        var plant = try MonitorServerTests.state().plant
        plant.devices[0].tags[0].description = "say \"hi\"\\ back\nslash\t\u{1}\u{1F}"
        plant.devices[0].tags[1].description = "Förderdruck °C — Überlauf"
        plant.devices[0].tags[1].range = nil
        plant.devices[0].tags[1].alarms = AlarmLimits(high: 99.5)
        plant.devices[0].tags[2].signal = "pipe\\line"
        plant.devices[1].name = "device \"two\""
        plant.devices[1].tags[0].name = plant.devices[0].tags[0].name
        let values = plant.allTags.indices.map { Self.values[$0 % Self.values.count] }
        let direct = Self.text(TagList(plant: plant).write(values: values))
        #expect(direct == Self.expected(plant, values))
        let tags = try #require(try JSONSerialization.jsonObject(with: Data(direct.utf8)) as? [[String: Any]])
        #expect(tags[0]["description"] as? String == "say \"hi\"\\ back\nslash\t\u{1}\u{1F}")
        #expect(tags[1]["description"] as? String == "Förderdruck °C — Überlauf")
    }

    /// A number that is not integral (or too large to write as one) is written as Swift prints it, and reads back
    /// as the same Double.
    @Test func numbersAreWrittenAsSwiftPrintsThemAndReadBack() throws {
        let numbers: [Double] = [0.1, -2.5, 1e-7, 1.5e300, -1e300, Double(Float(104.79426)), 1e15, -3e15, 123_456_789.123,
                                 .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.000_123_456_789_012_345_6]
        for number in numbers {
            var w = JSONWriter()
            w.number(number)
            let text = Self.text(w)
            #expect(text == "\(number)")
            #expect(try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [Double] == [number], "\(text)")
        }
    }

    @Test func theAPIAnswersTheBytesOfTagShapeForTheStatesValues() async throws {
        let state = try MonitorServerTests.state()
        let tags = state.plant.allTags
        state.apply(tags.enumerated().map { ($1, Self.values[$0 % Self.values.count]) }, at: 1_764_000_000_000)
        let expected = Self.expected(state.plant, state.tagValuesInPlantOrder)
        try await MonitorServerTests().app(state).test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/api/v1/tags", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == expected)
                }
            }
        }
    }

    /// The list is made once per state, and again for the state a reload swaps in: its new descriptions and limits
    /// show at once.
    @Test func aReplacedStateShowsItsNewDescriptionsAndLimits() async throws {
        let old = try MonitorServerTests.state()
        let slot = MonitorStateSlot(old)
        #expect(slot.tagList(for: old) === slot.tagList(for: old))
        var plant = old.plant
        plant.devices[0].tags[0].description = "Production brine flow (after the reload)"
        plant.devices[0].tags[0].alarms?.high = 33.3
        let new = MonitorState(plant: plant, historian: nil)
        let name = plant.devices[0].tags[0].name
        let app = buildApplication(slot: slot, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0))
        try await app.test(.router) { client in
            func first() async throws -> [String: Any] {
                try await client.execute(uri: "/api/v1/tags", method: .get) { response in
                    let tags = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [[String: Any]])
                    return try #require(tags.first { $0["name"] as? String == name })
                }
            }
            let before = try await first()
            #expect(before["description"] as? String == old.plant.devices[0].tags[0].description)
            #expect((before["limits"] as? [String: Any])?["H"] as? Double == old.plant.devices[0].tags[0].alarms?.high)
            slot.replace(with: new)
            let after = try await first()
            #expect(after["description"] as? String == "Production brine flow (after the reload)")
            #expect((after["limits"] as? [String: Any])?["H"] as? Double == 33.3)
        }
        #expect(slot.tagList(for: new) !== slot.tagList(for: old))
    }

    /// `GET /api/v1/tags/{name}` reads one slot instead of building the dictionary of every tag: the same value.
    @Test func oneTagsValueIsTheDictionarysValue() throws {
        let state = try MonitorServerTests.state()
        state.fail(state.plant.allTags.prefix(3).map { $0 }, quality: .bad(.timeout), at: 1_764_000_000_000)
        let all = state.tagValues
        #expect(all.values.contains { !$0.quality.isGood } && all.count > 10)
        for tag in state.plant.allTags {
            let one = try #require(state.tagValue(tag.name)), expected = try #require(all[tag.name])
            // Compared bit for bit: a value not read yet is NaN, which equals nothing.
            #expect(one.value.bitPattern == expected.value.bitPattern && one.quality == expected.quality && one.time == expected.time,
                    "\(tag.name)")
        }
        #expect(state.tagValue("NO.SUCH.TAG") == nil)
    }
}
