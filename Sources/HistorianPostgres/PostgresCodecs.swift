import NIOCore
import PostgresNIO

/// Times as PostgreSQL stores `timestamptz`: microseconds since 2000-01-01 UTC, from and to the historian's
/// milliseconds since 1970, in integers (a `Date` goes through a `Double` and can land a microsecond off).
enum PostgresTime {
    /// Milliseconds from 1970-01-01 to 2000-01-01.
    static let epoch: Int64 = 946_684_800_000
    /// The range `timestamptz` holds (4713 BC to 294276 AD), rounded inwards: times outside are clamped.
    static let lowest: Int64 = -210_000_000_000_000
    static let highest: Int64 = 9_000_000_000_000_000

    static func clamp(_ ms: Int64) -> Int64 { min(max(ms, lowest), highest) }

    static func micros(_ ms: Int64) -> Int64 { (clamp(ms) - epoch) * 1000 }

    /// Floor division, so that times before 2000 round down as they do upwards.
    static func millis(micros: Int64) -> Int64 {
        let (quotient, remainder) = micros.quotientAndRemainder(dividingBy: 1000)
        return (remainder < 0 ? quotient - 1 : quotient) + epoch
    }

    static func contains(_ ms: Int64) -> Bool { ms >= lowest && ms <= highest }
}

/// One `timestamptz` in ms since 1970, bound and read exactly.
struct Timestamp: PostgresNonThrowingEncodable, PostgresDecodable, Sendable {
    var ms: Int64
    init(_ ms: Int64) { self.ms = ms }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<E: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        buffer.writeInteger(PostgresTime.micros(ms))
    }

    init<D: PostgresJSONDecoder>(from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
                                 context: PostgresDecodingContext<D>) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, let micros = buffer.readInteger(as: Int64.self) else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        ms = PostgresTime.millis(micros: micros)
    }
}

/// A one-dimensional array parameter written straight into the wire buffer (PostgreSQL's binary array format:
/// dimensions, a null flag, the element type, then each element's length and bytes), so that a batch of 10,000
/// samples is bound as four arrays without a wrapper per element.
struct ColumnArray: PostgresNonThrowingEncodable, Sendable {
    enum Values: Sendable {
        case int32([Int32])
        /// Milliseconds since 1970, sent as `timestamptz`.
        case timestamps([Int64])
        /// NaN is sent as NULL (as the SQLite historian stores it).
        case doubles([Double])
    }

    let values: Values
    init(_ values: Values) { self.values = values }

    // The array's own type is given by the SQL cast (`$2::int4[]`); the element type goes in the payload.
    static var psqlType: PostgresDataType { .int4Array }
    static var psqlFormat: PostgresFormat { .binary }
    var psqlType: PostgresDataType {
        switch values {
        case .int32: .int4Array
        case .timestamps: .timestamptzArray
        case .doubles: .float8Array
        }
    }

    func encode<E: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        switch values {
        case .int32(let items):
            Self.header(&buffer, element: .int4, count: items.count, nulls: false)
            buffer.reserveCapacity(minimumWritableBytes: items.count * 8)
            for item in items {
                buffer.writeInteger(Int32(4))
                buffer.writeInteger(item)
            }
        case .timestamps(let items):
            Self.header(&buffer, element: .timestamptz, count: items.count, nulls: false)
            buffer.reserveCapacity(minimumWritableBytes: items.count * 12)
            for item in items {
                buffer.writeInteger(Int32(8))
                buffer.writeInteger(PostgresTime.micros(item))
            }
        case .doubles(let items):
            Self.header(&buffer, element: .float8, count: items.count, nulls: items.contains { $0.isNaN })
            buffer.reserveCapacity(minimumWritableBytes: items.count * 12)
            for item in items {
                if item.isNaN {
                    buffer.writeInteger(Int32(-1))
                } else {
                    buffer.writeInteger(Int32(8))
                    buffer.writeInteger(item.bitPattern)
                }
            }
        }
    }

    private static func header(_ buffer: inout ByteBuffer, element: PostgresDataType, count: Int, nulls: Bool) {
        buffer.writeInteger(Int32(count == 0 ? 0 : 1))   // dimensions (an empty array has none)
        buffer.writeInteger(Int32(nulls ? 1 : 0))
        buffer.writeInteger(element.rawValue)
        if count > 0 {
            buffer.writeInteger(Int32(count))
            buffer.writeInteger(Int32(1))   // lower bound
        }
    }
}

/// A row's binary cells read in order straight from their bytes: what history and replay read by the thousand.
/// postgres-nio's generic `decode` cost about a fifth of the fleet view's CPU per day of history (1,440 rollup rows;
/// `perf` under `geolith bench fleet`).
struct BinaryCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) { cells = row.makeIterator() }

    private mutating func next() throws -> ByteBuffer? {
        guard let cell = cells.next() else { throw PostgresDecodingError.Code.missingData }
        guard cell.format == .binary else { throw PostgresDecodingError.Code.typeMismatch }
        return cell.bytes
    }

    /// The next cell as an integer of its own width (int2, int4 or int8 alike), nil for NULL.
    mutating func integer() throws -> Int64? {
        guard let bytes = try next() else { return nil }
        switch bytes.readableBytes {
        case 8: return bytes.getInteger(at: bytes.readerIndex, as: Int64.self)
        case 4: return bytes.getInteger(at: bytes.readerIndex, as: Int32.self).map(Int64.init)
        case 2: return bytes.getInteger(at: bytes.readerIndex, as: Int16.self).map(Int64.init)
        default: throw PostgresDecodingError.Code.failure
        }
    }

    mutating func double() throws -> Double? {
        guard let bytes = try next() else { return nil }
        guard bytes.readableBytes == 8, let bits = bytes.getInteger(at: bytes.readerIndex, as: UInt64.self) else {
            throw PostgresDecodingError.Code.failure
        }
        return Double(bitPattern: bits)
    }

    /// A `timestamptz` as ms since 1970.
    mutating func time() throws -> Int64? { try integer().map { PostgresTime.millis(micros: $0) } }
}
