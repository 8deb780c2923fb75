import Foundation
@testable import Monitor
@testable import MonitorServer
import Historian
import PlantConfig
import RegisterVocabulary
import Testing

/// The shapes written by the thousand write themselves (a tag through Codable's containers cost twice the CPU);
/// both paths must write the same bytes, and valid JSON.
@Suite struct JSONShapeTests {
    static let values: [TagValue?] = [
        nil,
        TagValue(value: 12.5, quality: .good, time: 1_764_000_000_123),
        TagValue(value: 3, quality: .uncertain(.clamped), time: 1_764_000_000_000),
        TagValue(value: .nan, quality: .bad(.decodeError), time: 1_764_000_000_000),
        TagValue(value: -0.25, quality: .bad(.exception, detail: 2), time: 0),
        TagValue(value: .infinity, quality: .bad(.timeout), time: -5),
    ]

    static func text(_ writer: JSONWriter) -> String { String(decoding: writer.bytes, as: UTF8.self) }

    @Test func everyTagOfThePlantWritesTheSameBytesBothWays() throws {
        let state = try MonitorServerTests.state()
        var checked = 0
        for device in state.plant.devices {
            for tag in device.tags {
                for value in Self.values {
                    let shape = TagShape(tag: tag, device: device.name, value: value)
                    let direct = Self.text(JSONBodyEncoder.encode(shape))
                    #expect(direct == Self.text(JSONBodyEncoder.encodeThroughCodable(shape)), "\(tag.name)")
                    #expect((try? JSONSerialization.jsonObject(with: Data(direct.utf8))) != nil, "\(direct)")
                    let reading = TagReadingShape(name: tag.name, value: value)
                    #expect(Self.text(JSONBodyEncoder.encode(reading)) == Self.text(JSONBodyEncoder.encodeThroughCodable(reading)))
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
        // Limits and ranges both present and absent among the demo plant's tags.
        let tags = state.plant.allTags
        #expect(tags.contains { $0.alarms != nil } && tags.contains { $0.alarms == nil })
        #expect(tags.contains { $0.range != nil } && tags.contains { $0.range == nil })
    }

    @Test func qualitiesAndKPIsWriteTheSameBytesBothWays() {
        for value in Self.values.compactMap({ $0 }) {
            let quality = QualityShape(quality: value.quality)
            #expect(Self.text(JSONBodyEncoder.encode(quality)) == Self.text(JSONBodyEncoder.encodeThroughCodable(quality)))
            let kpi = KPIShape(kpi: KPIValue(name: "li_recovery", label: "Li recovery", value: value.value, unit: "%",
                                             quality: value.quality, time: value.time))
            #expect(Self.text(JSONBodyEncoder.encode(kpi)) == Self.text(JSONBodyEncoder.encodeThroughCodable(kpi)))
        }
        let detail = Self.text(JSONBodyEncoder.encode(QualityShape(quality: .bad(.exception, detail: 2))))
        #expect(detail == #"{"good":false,"status":"bad","reason":"exception","detail":2}"#)
    }

    @Test func historiesAndListsWriteTheSameBytesBothWays() throws {
        let points = Self.values.enumerated().compactMap { i, value in
            value.map { HistoryPoint(time: 1_764_000_000_000 + Int64(i) * 1000, min: $0.value - 1, max: $0.value, mean: $0.value,
                                     count: i, quality: $0.quality) }
        }
        let history = HistoryShape(series: "PW1.FT101", from: 0, to: 9_000, points: points, behind: true)
        let direct = Self.text(JSONBodyEncoder.encode(history))
        #expect(direct == Self.text(JSONBodyEncoder.encodeThroughCodable(history)))
        #expect((try? JSONSerialization.jsonObject(with: Data(direct.utf8))) != nil, "\(direct)")
        let state = try MonitorServerTests.state()
        let device = try #require(state.plant.devices.first)
        let tags = device.tags.map { TagShape(tag: $0, device: device.name, value: Self.values[1]) }
        #expect(Self.text(JSONBodyEncoder.encode(list: tags)) == Self.text(JSONBodyEncoder.encodeThroughCodable(tags)))
    }
}
