import Dispatch
import Foundation
import Historian
import Logging
import NIOCore
import PlantConfig
import PostgresNIO
import Synchronization

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

    /// The rows as COPY text, in chunks of about ``chunkBytes``.
    static func text(_ rows: [(Int32, Sample)], plant: Int32) -> [ByteBuffer] {
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunkBytes + 256)
        var days = DayText()
        let plantDigits = Array(String(plant).utf8)
        for (series, sample) in rows {
            buffer.writeBytes(plantDigits)
            buffer.writeInteger(UInt8(ascii: "\t"))
            writeDigits(Int64(series), into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\t"))
            days.write(PostgresTime.clamp(sample.time), into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\t"))
            let value = sample.value
            if value.isNaN {
                buffer.writeStaticString("\\N")
            } else if value.isInfinite {
                buffer.writeStaticString(value < 0 ? "-Infinity" : "Infinity")
            } else {
                buffer.writeString(value.description)
            }
            buffer.writeInteger(UInt8(ascii: "\t"))
            writeDigits(Int64(Int32(truncatingIfNeeded: sample.quality.storageCode)), into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\n"))
            if buffer.readableBytes >= chunkBytes {
                chunks.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(chunkBytes + 256)
            }
        }
        if buffer.readableBytes > 0 { chunks.append(buffer) }
        return chunks
    }

    static func writeDigits(_ value: Int64, into buffer: inout ByteBuffer) {
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                                             0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { bytes in
            repeat {
                bytes[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[(20 - count)...]))
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm+00`, the date's text kept for the day it was last asked.
    struct DayText {
        var day = Int64.min
        var prefix: [UInt8] = []

        mutating func write(_ ms: Int64, into buffer: inout ByteBuffer) {
            let day = PostgresPartitions.day(of: ms)
            if day != self.day {
                let (y, m, d) = PostgresPartitions.civil(day)
                prefix = Array(String(format: "%04lld-%02lld-%02lld ", y, m, d).utf8)
                self.day = day
            }
            buffer.writeBytes(prefix)
            let inDay = ms - day * PostgresPartitions.day
            let seconds = inDay / 1000
            two(seconds / 3600, &buffer)
            buffer.writeInteger(UInt8(ascii: ":"))
            two(seconds / 60 % 60, &buffer)
            buffer.writeInteger(UInt8(ascii: ":"))
            two(seconds % 60, &buffer)
            buffer.writeInteger(UInt8(ascii: "."))
            let millis = inDay % 1000
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(millis / 100))
            two(millis % 100, &buffer)
            buffer.writeStaticString("+00")
        }

        private func two(_ value: Int64, _ buffer: inout ByteBuffer) {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value / 10))
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value % 10))
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
        if done.wait(timeout: .now() + .nanoseconds(Int(timeout.components.seconds) * 1_000_000_000
                                                        + Int(timeout.components.attoseconds / 1_000_000_000))) == .timedOut {
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
