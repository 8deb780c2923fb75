package import Foundation
import RegisterVocabulary

/// One flush's worth of writes for a server's backend: what is sent to the server in one transaction, or kept in
/// the spool until it can be. A batch is numbered (`writer`, `sequence`): the server records the last number it
/// committed per writer, so a batch sent twice (a timeout after the server had committed it, a kill between the
/// server's commit and the spool's delete) is stored once.
package struct HistorianBatch: Sendable, Hashable {
    /// The writing process (a new one each time a historian is opened).
    package var writer: UUID
    /// Increasing within a writer.
    package var sequence: Int64
    package var series: [SeriesInfo] = []
    package var samples: [Sample] = []
    package var events: [JournalEvent] = []
    /// Runs begun or ended: stored as a whole (the server keeps the latest of each id).
    package var runs: [RunInfo] = []

    package init(writer: UUID, sequence: Int64) {
        self.writer = writer
        self.sequence = sequence
    }

    package var isEmpty: Bool { series.isEmpty && samples.isEmpty && events.isEmpty && runs.isEmpty }

    /// The newest sample time, if any.
    package var lastSampleTime: Int64? { samples.lazy.map(\.time).max() }
}

// MARK: - Encoding

/// A compact binary form for the spool: a header, the batch's series names once each, then per sample the name's
/// index, time, value bits and quality (24 bytes), then the declarations, events and runs as JSON.
extension HistorianBatch {
    private static let magic: UInt32 = 0x474C_4231   // "GLB1"

    package func encoded() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + samples.count * 24)
        var names: [String: UInt32] = [:]
        var order: [String] = []
        for sample in samples where names[sample.series] == nil {
            names[sample.series] = UInt32(order.count)
            order.append(sample.series)
        }
        Self.put(Self.magic, &out)
        withUnsafeBytes(of: writer.uuid) { out.append(contentsOf: $0) }
        Self.put(UInt64(bitPattern: sequence), &out)
        Self.put(UInt32(order.count), &out)
        for name in order {
            let bytes = Array(name.utf8)
            Self.put(UInt32(bytes.count), &out)
            out.append(contentsOf: bytes)
        }
        Self.put(UInt32(samples.count), &out)
        for sample in samples {
            Self.put(names[sample.series]!, &out)
            Self.put(UInt64(bitPattern: sample.time), &out)
            Self.put(sample.value.bitPattern, &out)
            Self.put(UInt32(truncatingIfNeeded: sample.quality.storageCode), &out)
        }
        let json = try JSONEncoder().encode(Rest(series: series, events: events, runs: runs))
        Self.put(UInt32(json.count), &out)
        out.append(contentsOf: json)
        return out
    }

    package init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes: bytes)
        guard try reader.read(UInt32.self) == Self.magic else { throw SpoolError.corrupt("not a Geolith batch") }
        let uuid = try reader.take(16)
        let writer = uuid.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
        self.init(writer: writer, sequence: Int64(bitPattern: try reader.read(UInt64.self)))
        let nameCount = Int(try reader.read(UInt32.self))
        var order: [String] = []
        order.reserveCapacity(nameCount)
        for _ in 0..<nameCount {
            let length = Int(try reader.read(UInt32.self))
            order.append(String(decoding: try reader.take(length), as: UTF8.self))
        }
        let sampleCount = Int(try reader.read(UInt32.self))
        samples.reserveCapacity(sampleCount)
        for _ in 0..<sampleCount {
            let index = Int(try reader.read(UInt32.self))
            guard index < order.count else { throw SpoolError.corrupt("series index out of range") }
            let time = Int64(bitPattern: try reader.read(UInt64.self))
            let value = Double(bitPattern: try reader.read(UInt64.self))
            let code = Int64(try reader.read(UInt32.self))
            samples.append(Sample(series: order[index], time: time, value: value, quality: Quality(storageCode: code) ?? .bad(.decodeError)))
        }
        let jsonLength = Int(try reader.read(UInt32.self))
        let rest = try JSONDecoder().decode(Rest.self, from: Data(try reader.take(jsonLength)))
        series = rest.series
        events = rest.events
        runs = rest.runs
    }

    private struct Rest: Codable {
        var series: [SeriesInfo]
        var events: [JournalEvent]
        var runs: [RunInfo]
    }

    private static func put<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}

/// Reads little-endian integers and byte runs, checking every length against what is left.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw SpoolError.corrupt("batch truncated") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let slice = try take(MemoryLayout<T>.size)
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: slice) }
        return T(littleEndian: value)
    }
}
