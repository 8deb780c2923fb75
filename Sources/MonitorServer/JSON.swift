import Foundation
import PlantConfig
import RegisterVocabulary

/// A small JSON value (keys in insertion order), for the API's small ad-hoc answers; written, as every body is,
/// by ``JSONBodyEncoder``.
indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object(KeyValuePairs<String, JSON>)
    case pairs([(String, JSON)])

    static func number(_ value: Double?) -> JSON { value.map { $0.isFinite ? .number($0) : .null } ?? .null }
    static func int(_ value: Int64) -> JSON { .number(Double(value)) }

    /// The JSON text (through the server's one encoder).
    var text: String { String(decoding: JSONBodyEncoder.encode(self).bytes, as: UTF8.self) }
}

extension JSON: Encodable {
    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .number(let value):
            var c = encoder.singleValueContainer()
            if value.isFinite { try c.encode(value) } else { try c.encodeNil() }
        case .string(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .array(let values):
            var c = encoder.unkeyedContainer()
            for value in values { try c.encode(value) }
        case .object(let pairs): try Self.encode(members: pairs.map { ($0.key, $0.value) }, to: encoder)
        case .pairs(let pairs): try Self.encode(members: pairs, to: encoder)
        }
    }

    private static func encode(members: [(String, JSON)], to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (key, value) in members { try c.encode(value, forKey: Key(stringValue: key)) }
    }
}

/// Writes JSON text as UTF-8 bytes as it goes, without building a tree: the large answers (10,000 tags, a
/// history of 1,000 points) are written straight from the monitor's state. Separators are its business:
/// call `key` before each member of an object, and the value writers in order.
struct JSONWriter {
    var bytes: [UInt8] = []
    /// Per open array or object: whether nothing was written in it yet.
    private var empty: [Bool] = []
    private var afterKey = false

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The separator before a value: a comma unless it is the first of its array or object, or follows its key.
    mutating func separate() {
        if afterKey {
            afterKey = false
        } else if let last = empty.last {
            if !last { bytes.append(UInt8(ascii: ",")) }
            empty[empty.count - 1] = false
        }
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        empty.append(true)
    }

    private mutating func close(_ bracket: UInt8) {
        empty.removeLast()
        bytes.append(bracket)
    }

    mutating func key(_ name: String) {
        separate()
        quote(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func null() {
        separate()
        bytes += "null".utf8
    }
    mutating func bool(_ value: Bool) {
        separate()
        bytes += (value ? "true" : "false").utf8
    }
    mutating func string(_ value: String) {
        separate()
        quote(value)
    }
    mutating func string(_ value: String?) { if let value { string(value) } else { null() } }

    /// Integral values print without a fraction; non-finite ones as null.
    mutating func number(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        if value == value.rounded(), abs(value) < 1e15 { return int(Int64(value)) }
        separate()
        // The shortest text that reads back as the value (as `"\(value)"` writes it); up to 15 bytes it is stored
        // in the String itself, not allocated as the interpolation's buffer was.
        var text = value.description
        text.withUTF8 { bytes += $0 }
    }

    /// Bytes written beforehand (JSON the caller vouches for), as they are, without a separator. `thenValue`: the
    /// fragment ends with a key, so the next value follows it directly.
    mutating func raw(_ fragment: [UInt8], thenValue: Bool = false) {
        bytes += fragment
        afterKey = thenValue
    }

    mutating func raw(_ fragment: UnsafeBufferPointer<UInt8>, thenValue: Bool = false) {
        bytes += fragment
        afterKey = thenValue
    }

    mutating func int(_ value: Int64) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes += digits[start...]
        }
    }

    /// The text in quotes, escaped. Runs of bytes that need no escape are copied whole (byte by byte, quoting was
    /// a quarter of the CPU of `/api/v1/tags`).
    private mutating func quote(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            var start = 0
            for index in utf8.indices where Self.needsEscape(utf8[index]) {
                bytes += utf8[start..<index]
                escape(utf8[index])
                start = index + 1
            }
            bytes += utf8[start...]
        }
        if copied == nil {
            for byte in text.utf8 {
                if Self.needsEscape(byte) { escape(byte) } else { bytes.append(byte) }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes += "\\\"".utf8
        case UInt8(ascii: "\\"): bytes += "\\\\".utf8
        case UInt8(ascii: "\n"): bytes += "\\n".utf8
        case UInt8(ascii: "\r"): bytes += "\\r".utf8
        case UInt8(ascii: "\t"): bytes += "\\t".utf8
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes += "\\u00".utf8
            bytes += [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        }
    }
}

extension Quality.Status {
    /// `good`, `uncertain` or `bad` (string interpolation of an enum goes through reflection: slow per tag).
    var name: String {
        switch self {
        case .good: "good"
        case .uncertain: "uncertain"
        case .bad: "bad"
        }
    }
}
