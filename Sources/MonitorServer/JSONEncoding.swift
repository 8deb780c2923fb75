/// The server's one JSON encoder: writes an `Encodable` value straight into a ``JSONWriter``'s bytes, without
/// building a tree first (the answer for 10,000 tags is written from the monitor's state in a few ms). REST
/// answers and live stream events both go through it, so a tag, a KPI or an alarm has one shape everywhere.
///
/// Conventions: keys in the order the value encodes them; an absent optional is written as `null` (not left
/// out), a non-finite number as `null`, an integral Double without a fraction.
/// A shape that writes its own JSON, the same bytes its `Encodable` conformance writes.
protocol JSONWritable {
    func write(to w: inout JSONWriter)
}

final class JSONBodyEncoder: Encoder {
    var writer: JSONWriter
    /// Containers open, innermost last (true: an object, false: an array). A container writes only while it is
    /// the innermost one: the deeper ones a value opened before are closed first, so containers used one after
    /// another (a nested object, then more keys of its parent) come out well formed.
    private var open: [Bool] = []

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(capacity: Int = 256) { writer = JSONWriter(capacity: capacity) }

    /// The JSON text of `value` through its `Encodable` conformance alone (tests compare it with the direct path).
    static func encodeThroughCodable(_ value: some Encodable) -> JSONWriter {
        let encoder = JSONBodyEncoder()
        try? value.encode(to: encoder)
        encoder.close(to: 0)
        return encoder.writer
    }

    /// The JSON text of `value` as UTF-8 bytes.
    static func encode(_ value: some Encodable, capacity: Int = 256) -> JSONWriter {
        let encoder = JSONBodyEncoder(capacity: capacity)
        encoder.write(value)
        return encoder.writer
    }

    /// Writes one value (and closes what it opened). The shapes written by the thousand (tags, their qualities, KPIs)
    /// write themselves: through Codable's containers a tag cost twice the CPU (`geolith-bench http`, `/api/v1/tags`
    /// of 10,000 tags). Both paths write the same bytes (`JSONShapeTests`).
    func write(_ value: some Encodable) {
        if let direct = value as? any JSONWritable {
            direct.write(to: &writer)
            return
        }
        let depth = open.count
        // The containers below never throw; a value whose own `encode(to:)` throws writes what it got to.
        try? value.encode(to: self)
        close(to: depth)
    }

    func close(to depth: Int) {
        while open.count > depth {
            if open.removeLast() { writer.endObject() } else { writer.endArray() }
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.beginObject()
        open.append(true)
        return KeyedEncodingContainer(Keyed<Key>(encoder: self, depth: open.count))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.beginArray()
        open.append(false)
        return Unkeyed(encoder: self, depth: open.count)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self, depth: open.count) }

    /// Writes a primitive in a container at `depth` (after closing deeper ones).
    fileprivate func at(_ depth: Int, _ body: (inout JSONWriter) -> Void) {
        close(to: depth)
        body(&writer)
    }

    fileprivate static func uint(_ value: UInt64, _ w: inout JSONWriter) {
        if value <= UInt64(Int64.max) { w.int(Int64(value)) } else { w.number(Double(value)) }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: JSONBodyEncoder
        let depth: Int
        var codingPath: [any CodingKey] { [] }

        private func put(_ key: Key, _ body: (inout JSONWriter) -> Void) {
            encoder.at(depth) { w in
                w.key(key.stringValue)
                body(&w)
            }
        }

        mutating func encodeNil(forKey key: Key) { put(key) { $0.null() } }
        mutating func encode(_ value: Bool, forKey key: Key) { put(key) { $0.bool(value) } }
        mutating func encode(_ value: String, forKey key: Key) { put(key) { $0.string(value) } }
        mutating func encode(_ value: Double, forKey key: Key) { put(key) { $0.number(value) } }
        mutating func encode(_ value: Float, forKey key: Key) { put(key) { $0.number(Double(value)) } }
        mutating func encode(_ value: Int, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int8, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int16, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int32, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int64, forKey key: Key) { put(key) { $0.int(value) } }
        mutating func encode(_ value: UInt, forKey key: Key) { put(key) { JSONBodyEncoder.uint(UInt64(value), &$0) } }
        mutating func encode(_ value: UInt8, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: UInt16, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: UInt32, forKey key: Key) { put(key) { $0.int(Int64(value)) } }
        mutating func encode(_ value: UInt64, forKey key: Key) { put(key) { JSONBodyEncoder.uint(value, &$0) } }
        mutating func encode(_ value: some Encodable, forKey key: Key) {
            put(key) { _ in }
            encoder.write(value)
        }
        // An absent optional is `null`, not a missing key: clients see every field of a shape.
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) { put(key) { $0.string(value) } }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) { put(key) { $0.number(value) } }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) { put(key) { w in if let value { w.int(value) } else { w.null() } } }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) { put(key) { w in if let value { w.int(Int64(value)) } else { w.null() } } }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) { put(key) { w in if let value { w.bool(value) } else { w.null() } } }
        mutating func encodeIfPresent(_ value: (some Encodable)?, forKey key: Key) {
            guard let value else { return encodeNil(forKey: key) }
            encode(value, forKey: key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            put(key) { _ in }
            return encoder.container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            put(key) { _ in }
            return encoder.unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            encoder.at(depth) { $0.key("super") }
            return encoder
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            put(key) { _ in }
            return encoder
        }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: JSONBodyEncoder
        let depth: Int
        var codingPath: [any CodingKey] { [] }
        private(set) var count = 0

        init(encoder: JSONBodyEncoder, depth: Int) {
            self.encoder = encoder
            self.depth = depth
        }

        private mutating func put(_ body: (inout JSONWriter) -> Void) {
            count += 1
            encoder.at(depth, body)
        }

        mutating func encodeNil() { put { $0.null() } }
        mutating func encode(_ value: Bool) { put { $0.bool(value) } }
        mutating func encode(_ value: String) { put { $0.string(value) } }
        mutating func encode(_ value: Double) { put { $0.number(value) } }
        mutating func encode(_ value: Int) { put { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int64) { put { $0.int(value) } }
        mutating func encode(_ value: some Encodable) {
            put { _ in }
            encoder.write(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            put { _ in }
            return encoder.container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            put { _ in }
            return encoder.unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            put { _ in }
            return encoder
        }
    }

    private struct Single: SingleValueEncodingContainer {
        let encoder: JSONBodyEncoder
        let depth: Int
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() { encoder.at(depth) { $0.null() } }
        mutating func encode(_ value: Bool) { encoder.at(depth) { $0.bool(value) } }
        mutating func encode(_ value: String) { encoder.at(depth) { $0.string(value) } }
        mutating func encode(_ value: Double) { encoder.at(depth) { $0.number(value) } }
        mutating func encode(_ value: Float) { encoder.at(depth) { $0.number(Double(value)) } }
        mutating func encode(_ value: Int) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int8) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int16) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int32) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: Int64) { encoder.at(depth) { $0.int(value) } }
        mutating func encode(_ value: UInt) { encoder.at(depth) { JSONBodyEncoder.uint(UInt64(value), &$0) } }
        mutating func encode(_ value: UInt8) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: UInt16) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: UInt32) { encoder.at(depth) { $0.int(Int64(value)) } }
        mutating func encode(_ value: UInt64) { encoder.at(depth) { JSONBodyEncoder.uint(value, &$0) } }
        mutating func encode(_ value: some Encodable) {
            encoder.close(to: depth)
            encoder.write(value)
        }
    }
}
