import Foundation
public import Historian
import NIOCore
import PostgresNIO
import Synchronization

/// Downsampled history, as the SQLite historian computes it: buckets of a minute or more take the whole minutes
/// from the minute rollups (1,440 rows for a day) and only the ragged ends from the samples; the rows are folded
/// into buckets here, as they come, by the same ``HistoryFold``.
extension PostgresHistorian {
    /// The queries of one history and how to fold their rows: samples only, or samples, minute rollups, samples.
    struct HistoryPlan {
        enum Part { case samples, rollups }
        var parts: [(Part, PostgresQuery)]
        var fold: HistoryFold
    }

    /// The series' id and the plant's rolled-up mark, in one query.
    func historyLookup(_ series: String) throws -> PostgresQuery {
        let plant = try prepare().plant
        return "SELECT s.id, p.rolled_up FROM series s JOIN plants p ON p.id = s.plant WHERE s.plant = \(plant) AND s.name = \(series)"
    }

    /// The series' id and the mark without asking the server, when both are known: ids never change, and a mark read
    /// less than ``markLifetime`` ago is at most that old (it only advances, so an older one only means more of the
    /// range is read from the samples).
    func cachedLookup(_ series: String) -> (id: Int32, mark: Int64?)? {
        guard let id = server.withLock({ $0?.series[series] }),
              let (mark, read) = rolledUp.withLock({ $0 }), ContinuousClock.now - read < Self.markLifetime else { return nil }
        return (id, mark)
    }

    static let markLifetime: Duration = .seconds(5)

    func remember(_ series: String, _ found: (id: Int32, mark: Int64?)) {
        server.withLock { $0?.series[series] = found.id }
        rolledUp.withLock { $0 = (found.mark, ContinuousClock.now) }
    }

    func historyPlan(id: Int32, mark: Int64?, from: Int64, to: Int64, maxPoints: Int) throws -> HistoryPlan {
        let plant = try prepare().plant
        let width = Self.bucketWidth(from: from, to: to, maxPoints: maxPoints)
        let fold = HistoryFold(from: from, width: width)
        let minute: Int64 = 60_000
        if width >= minute, let mark {
            let first = from > Int64.max - minute ? Int64.max : (from + minute - 1) / minute * minute
            let end = min(mark, to == .max ? .max : (to + 1) / minute * minute)
            if end > first {
                var binds = PostgresBindings()
                binds.append(plant)
                binds.append(id)
                binds.append(Timestamp(first))
                binds.append(Timestamp(end))
                let rollups = PostgresQuery(unsafeSQL: """
                    SELECT bucket, min, max, mean, count, worst FROM rollups_p\(plant)
                    WHERE plant = $1 AND series = $2 AND width = 60000 AND bucket >= $3 AND bucket < $4 ORDER BY bucket
                    """, binds: binds)
                return HistoryPlan(parts: [(.samples, sampleRange(plant, id, from: from, through: first - 1)), (.rollups, rollups),
                                           (.samples, sampleRange(plant, id, from: end, through: to))], fold: fold)
            }
        }
        return HistoryPlan(parts: [(.samples, sampleRange(plant, id, from: from, through: to))], fold: fold)
    }

    /// Buckets of equal width covering [from, to] in at most `maxPoints`, without overflowing on extreme ranges.
    static func bucketWidth(from: Int64, to: Int64, maxPoints: Int) -> Int64 {
        let span = UInt64(bitPattern: to &- from) &+ 1   // to ≥ from, so the difference fits in UInt64
        let points = UInt64(maxPoints)
        let width = span == 0 ? UInt64.max / points : (span - 1) / points + 1
        return Int64(clamping: max(1, width))
    }

    static func fold(_ plan: HistoryPlan, _ results: [PostgresQueryResult]) throws -> [HistoryPoint] {
        var fold = plan.fold
        for ((part, _), rows) in zip(plan.parts, results) {
            switch part {
            case .samples:
                for row in rows {
                    let (time, value, quality) = try sample(row)
                    fold.add(at: time, value, status: quality & 255)
                }
            case .rollups:
                for row in rows {
                    let r = try rollup(row)
                    fold.merge(at: r.bucket, low: r.min ?? 0, high: r.max ?? 0, mean: r.mean ?? 0, count: r.count, status: r.worst)
                }
            }
        }
        return fold.finish()
    }

    static func lookup(_ rows: PostgresQueryResult) throws -> (id: Int32, mark: Int64?)? {
        guard let row = rows.first else { return nil }
        let (id, mark) = try row.decode((Int32, Timestamp?).self)
        return (id, mark?.ms)
    }

    public func history(_ series: String, from: Int64, to: Int64, maxPoints: Int) throws -> [HistoryPoint] {
        precondition(maxPoints > 0 && to >= from, "history needs maxPoints > 0 and from ≤ to")
        let lookup = try historyLookup(series)
        return try sessions.withConnection { connection in
            guard let found = try cachedLookup(series) ?? Self.lookup(sessions.query(connection, lookup)) else { return [] }
            remember(series, found)
            let plan = try historyPlan(id: found.id, mark: found.mark, from: from, to: to, maxPoints: maxPoints)
            let pending = plan.parts.map { connection.query($0.1, logger: PostgresSessions.quiet) }
            return try Self.fold(plan, pending.map { try sessions.wait($0) })
        }
    }

    /// The queries of one history are sent together (pipelined on one connection) and their rows folded as they are
    /// collected: one round trip when the series and the mark are known.
    public func history(of series: String, from: Int64, to: Int64, maxPoints: Int) async throws -> [HistoryPoint] {
        precondition(maxPoints > 0 && to >= from, "history needs maxPoints > 0 and from ≤ to")
        let lookup = try historyLookup(series)
        return try await sessions.withConnection { connection in
            var found = cachedLookup(series)
            if found == nil { found = try Self.lookup(await sessions.query(connection, lookup)) }
            guard let found else { return [] }
            remember(series, found)
            let plan = try historyPlan(id: found.id, mark: found.mark, from: from, to: to, maxPoints: maxPoints)
            // One future for all, so that the task resumes once (each resumption is a hop between threads).
            let pending = plan.parts.map { connection.query($0.1, logger: PostgresSessions.quiet) }
            let results = try await sessions.get(EventLoopFuture.whenAllSucceed(pending, on: connection.eventLoop))
            return try Self.fold(plan, results)
        }
    }
}
