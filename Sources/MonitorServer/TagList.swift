import Monitor
import PlantConfig
import RegisterVocabulary

/// `GET /api/v1/tags` with each tag's static parts written once per loaded plant: the bytes of ``TagShape`` for a
/// plant's 10,000 tags, of which only the value, the quality and the time change from one request to the next.
///
/// The parts are written by ``TagShape``'s own writers, so the list has the same bytes as ``TagShape``
/// (`TagListTests`). A reload makes a new ``MonitorState``, and ``MonitorStateSlot`` a new list for it: new
/// descriptions, units and limits show at once.
final class TagList: Sendable {
    /// Per tag: `{"name":"…","value":`.
    private let heads: Fragments
    /// Per tag: `,"device":"…","description":"…","unit":"…","signal":…,"range":…,"limits":…}`.
    private let tails: Fragments
    /// Per tag: the index of its value in the state's values (the first tag of its name, as a lookup by name finds).
    private let valueIndex: [Int]
    /// About the size of the list with its values, in bytes (reserved for each answer).
    private let size: Int

    init(plant: Plant) {
        var heads = Fragments(), tails = Fragments(), valueIndex: [Int] = []
        var first: [String: Int] = [:]
        for device in plant.devices {
            for tag in device.tags {
                heads.append(Self.fragment(inObject: false) { w in
                    w.key("name")
                    w.string(tag.name)
                    w.key("value")
                })
                tails.append(Self.fragment(inObject: true) { w in
                    TagShape(tag: tag, device: device.name, value: nil).writeStaticFields(to: &w)
                    w.endObject()
                })
                valueIndex.append(first[tag.name, default: valueIndex.count])
                first[tag.name] = valueIndex.last
            }
        }
        (self.heads, self.tails, self.valueIndex) = (heads, tails, valueIndex)
        size = 2 + heads.bytes.count + tails.bytes.count + 100 * valueIndex.count
    }

    /// The list with the state's current values, in the order of the plant's devices and their tags.
    /// - Parameter values: one value per tag of the plant, in ``Plant/allTags`` order.
    func write(values: [TagValue]) -> JSONWriter {
        precondition(values.count == valueIndex.count, "one value per tag of the plant")
        var w = JSONWriter(capacity: size)
        w.beginArray()
        heads.bytes.withUnsafeBufferPointer { headBytes in
            tails.bytes.withUnsafeBufferPointer { tailBytes in
                Self.qualities.bytes.withUnsafeBufferPointer { qualityBytes in
                    for index in valueIndex.indices {
                        let value = values[valueIndex[index]]
                        w.separate()
                        w.raw(UnsafeBufferPointer(rebasing: headBytes[heads.ranges[index]]), thenValue: true)
                        w.number(value.value)
                        Self.writeQualityAndTime(value, qualityBytes, to: &w)
                        w.raw(UnsafeBufferPointer(rebasing: tailBytes[tails.ranges[index]]))
                    }
                }
            }
        }
        w.endArray()
        return w
    }

    /// `,"quality":{…},"time":…`, as ``TagReadingShape`` writes them.
    private static func writeQualityAndTime(_ value: TagValue, _ qualityBytes: UnsafeBufferPointer<UInt8>,
                                            to w: inout JSONWriter) {
        let quality = value.quality
        if quality.detail == 0 {
            let range = qualities.ranges[Int(quality.status.rawValue) << 8 | Int(quality.reason.rawValue)]
            w.raw(UnsafeBufferPointer(rebasing: qualityBytes[range]), thenValue: true)
        } else {
            w.raw(qualityKey, thenValue: true)
            QualityShape(quality: quality).write(to: &w)
            w.raw(timeKey, thenValue: true)
        }
        if value.time > 0 { w.int(value.time) } else { w.null() }
    }

    private static let qualityKey = fragment(inObject: true) { $0.key("quality") }
    private static let timeKey = fragment(inObject: true) { $0.key("time") }

    /// `,"quality":{…},"time":` of every quality without a detail, by status (high byte) and reason (low byte).
    private static let qualities = (0..<(3 << 8)).reduce(into: Fragments()) { fragments, index in
        guard let status = Quality.Status(rawValue: UInt8(index >> 8)),
              let reason = Quality.Reason(rawValue: UInt8(index & 0xFF)) else { return fragments.append([]) }
        fragments.append(fragment(inObject: true) { w in
            w.key("quality")
            QualityShape(quality: Quality(status, reason)).write(to: &w)
            w.key("time")
        })
    }

    /// The bytes `body` writes: at the start of an object (`inObject` false: the object is opened in them), or
    /// after a member of one (true: they start with the comma).
    private static func fragment(inObject: Bool, _ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        if inObject {
            w.key("x")
            w.null()
        }
        let start = inObject ? w.bytes.count : 0
        body(&w)
        return Array(w.bytes[start...])
    }
}

/// Pieces of JSON one after the other in one array (10,000 small arrays cost a header and a reference count each).
private struct Fragments {
    private(set) var bytes: [UInt8] = []
    /// Where each piece is in ``bytes``.
    private(set) var ranges: [Range<Int>] = []

    mutating func append(_ fragment: [UInt8]) {
        ranges.append(bytes.count..<bytes.count + fragment.count)
        bytes += fragment
    }
}
