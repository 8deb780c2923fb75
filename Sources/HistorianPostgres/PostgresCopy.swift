import Dispatch
import Foundation
import Historian
import Logging
import NIOCore
import PostgresNIO
import RegisterVocabulary
import Synchronization
import Timekeeping

/// Samples sent with `COPY samples FROM STDIN` (text format, the only one postgres-nio offers): PostgreSQL then stores
/// rows in batches (one heap insert and one WAL record per page of rows, where an `INSERT … SELECT` writes one per row),
/// which made ingest about twice as fast as the insert of binary arrays on this machine (`geolith bench historian
/// --db postgres://…`). The rows are written as text here, by hand: integers and times digit by digit, values by
/// Swift's shortest round-trip form (PostgreSQL reads it back to the same double), NaN as `\N`.
///
/// postgres-nio's `COPY` is async; the historian's flush is synchronous. The copy runs as a task on a thread of its
/// own (a task executor), never on the cooperative pool, so a flush called from the pool cannot wait for a thread
/// it holds; the caller waits at most the timeout, then closes the connection (which ends the copy).
enum PostgresCopy {
    static let chunkBytes = 256 * 1024

    /// The rows as COPY text, in chunks of about ``chunkBytes``. Each row is written into the buffer's free bytes
    /// in one go (a `ByteBuffer` write per byte cost more than the server's parsing of the text).
    static func text(_ rows: [(Int32, Sample)], plant: Int32) -> [ByteBuffer] {
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunkBytes + 256)
        var days = DayText()
        let plantDigits = Array(String(plant).utf8)
        for (series, sample) in rows {
            let time = PostgresTime.clamp(sample.time)
            days.enter(time)
            let value = sample.value
            var valueText = value.isNaN ? "\\N" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : value.description
            let quality = Int64(Int32(truncatingIfNeeded: sample.quality.storageCode))
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 128 + valueText.utf8.count) { raw in
                var out = RowWriter(raw)
                out.put(plantDigits)
                out.put(UInt8(ascii: "\t"))
                out.digits(Int64(series))
                out.put(UInt8(ascii: "\t"))
                days.write(time, into: &out)
                out.put(UInt8(ascii: "\t"))
                valueText.withUTF8 { out.put($0) }
                out.put(UInt8(ascii: "\t"))
                out.digits(quality)
                out.put(UInt8(ascii: "\n"))
                return out.count
            }
            if buffer.readableBytes >= chunkBytes {
                chunks.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(chunkBytes + 256)
            }
        }
        if buffer.readableBytes > 0 { chunks.append(buffer) }
        return chunks
    }

    /// Bytes written into a buffer's free space (the caller reserves enough for a row).
    struct RowWriter {
        let raw: UnsafeMutableRawBufferPointer
        var count = 0

        init(_ raw: UnsafeMutableRawBufferPointer) { self.raw = raw }

        mutating func put(_ byte: UInt8) {
            raw[count] = byte
            count += 1
        }

        mutating func put(_ bytes: some Collection<UInt8>) {
            for byte in bytes { put(byte) }
        }

        mutating func digits(_ value: Int64) {
            if value < 0 { put(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            let start = count
            repeat {
                put(UInt8(ascii: "0") + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            // Written least significant first: reverse in place.
            var (i, j) = (start, count - 1)
            while i < j {
                let t = raw[i]
                raw[i] = raw[j]
                raw[j] = t
                i += 1
                j -= 1
            }
        }

        /// Two digits, `00` to `99`.
        mutating func two(_ value: Int64) {
            put(UInt8(ascii: "0") + UInt8(value / 10))
            put(UInt8(ascii: "0") + UInt8(value % 10))
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm+00`, the date's text kept for the day it was last asked.
    struct DayText {
        var day = Int64.min
        var prefix: [UInt8] = []

        /// Makes the date's text ready for a time of `ms`'s day.
        mutating func enter(_ ms: Int64) {
            let day = PostgresPartitions.day(of: ms)
            guard day != self.day else { return }
            let (y, m, d) = PostgresPartitions.civil(day)
            prefix = Array(String(format: "%04lld-%02lld-%02lld ", y, m, d).utf8)
            self.day = day
        }

        /// The time, of the day last entered.
        func write(_ ms: Int64, into out: inout RowWriter) {
            out.put(prefix)
            let inDay = ms - day * PostgresPartitions.day
            let seconds = inDay / 1000
            out.two(seconds / 3600)
            out.put(UInt8(ascii: ":"))
            out.two(seconds / 60 % 60)
            out.put(UInt8(ascii: ":"))
            out.two(seconds % 60)
            out.put(UInt8(ascii: "."))
            let millis = inDay % 1000
            out.put(UInt8(ascii: "0") + UInt8(millis / 100))
            out.two(millis % 100)
            out.put(UInt8(ascii: "+"))
            out.put(UInt8(ascii: "0"))
            out.put(UInt8(ascii: "0"))
        }
    }

    /// A thread for the copies' tasks.
    static let executor = CopyExecutor()

    /// Copies `chunks` into `table` (a plant's `samples_p<plant>`) on `connection`, inside the caller's transaction,
    /// waiting at most `timeout`.
    static func copy(_ chunks: [ByteBuffer], into table: String, on connection: PostgresConnection, timeout: Duration) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let task = Task(executorPreference: executor) {
            let result = await Result {
                try await connection.copyFrom(table: table, columns: ["plant", "series", "time", "value", "quality"],
                                              logger: PostgresSessions.quiet) { writer in
                    for chunk in chunks { try await writer.write(chunk) }
                }
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        if done.wait(timeout: .now() + .nanoseconds(Int(timeout.wholeNanoseconds))) == .timedOut {
            task.cancel()
            connection.shut()
            done.wait()
            throw PostgresHistorianError.timedOut(timeout)
        }
        do { try outcome.withLock { $0 }!.get() } catch { throw PostgresHistorianError(error) }
    }
}

/// Runs tasks that prefer it on a dispatch queue's threads, off the cooperative pool.
final class CopyExecutor: TaskExecutor {
    let queue = DispatchQueue(label: "geolith.postgres.copy", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
