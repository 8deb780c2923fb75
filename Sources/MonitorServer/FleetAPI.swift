import Foundation
import Historian
import Hummingbird
import RegisterVocabulary
import Timekeeping

/// The fleet overview's handlers: every plant of a shared database as its monitor last published it, and each
/// plant's history read from the database, under `/api/v1/plants/{id}/…`.
struct FleetAPI: Sendable {
    let fleet: any FleetReader

    static func now() -> Int64 { Timestamp.now.milliseconds }

    func plants() async throws -> JSON {
        let now = Self.now()
        return .array(try await fleet.plants().map { overviewJSON($0, now: now) })
    }

    func plant(_ id: String) async throws -> JSON {
        let overview = try await overview(id)
        let now = Self.now()
        var pairs = overviewPairs(overview, now: now)
        let snapshot = overview.snapshot
        pairs.append(("alarms", .array((snapshot?.alarms ?? []).map { a in
            .pairs([("id", .string(a.id)), ("priority", .number(Double(a.priority))), ("state", .string(a.state)),
                    ("message", .string(a.message)), ("activeSince", a.activeSince.map(JSON.int) ?? .null)])
        })))
        pairs.append(("devices", .array((snapshot?.devices ?? []).map { d in
            .pairs([("name", .string(d.name)), ("up", .bool(d.up)), ("lastError", d.lastError.map(JSON.string) ?? .null)])
        })))
        return .pairs(pairs)
    }

    func series(_ id: String) async throws -> JSON {
        let store = try await store(id)
        return .array(try store.series().map { s in
            .pairs([("name", .string(s.name)), ("kind", .string(s.kind.rawValue)), ("unit", .string(s.unit)), ("device", .string(s.device))])
        })
    }

    func kpis(_ id: String) async throws -> JSON {
        let overview = try await overview(id)
        return .array((overview.snapshot?.kpis ?? []).map(Self.kpiJSON))
    }

    /// `from`/`to` in ms since 1970 UTC (default: the last hour), `maxPoints` 1…10,000 (default 500), as the monitor's.
    func history(plant id: String, series name: String, isKPI: Bool, query: Parameters) async throws -> JSONWriter {
        let store = try await store(id)
        let to = try queryTime(query, "to") ?? Self.now()
        let from = try queryTime(query, "from") ?? max(to - 3_600_000, HistoryBounds.time.lowerBound)
        let maxPoints = try queryInteger(query, "maxPoints") ?? 500
        guard (1...10_000).contains(maxPoints) else { throw APIError(status: .badRequest, message: "maxPoints must be 1…10000") }
        guard from <= to else { throw APIError(status: .badRequest, message: "from must not be after to") }
        let series = isKPI ? "kpi:\(name)" : name
        let points = try await store.history(of: series, from: from, to: to, maxPoints: Int(maxPoints))
        if points.isEmpty, try store.timeRange(series) == nil {
            throw APIError(status: .notFound, message: "plant \(id) has no \(isKPI ? "KPI" : "tag") '\(name)' with samples")
        }
        let behind = try await fleet.plants().first { $0.id == id }?.snapshot?.historian.behind ?? false
        return historyJSON(series: name, from: from, to: to, points: points, behind: behind)
    }

    func events(_ id: String, query: Parameters) async throws -> JSONWriter {
        let store = try await store(id)
        let to = try queryTime(query, "to") ?? Self.now()
        let from = try queryTime(query, "from") ?? max(to - 86_400_000, HistoryBounds.time.lowerBound)
        let limit = try queryInteger(query, "limit") ?? 200
        guard (1...10_000).contains(limit), from <= to else { throw APIError(status: .badRequest, message: "limit 1…10000 and from ≤ to") }
        let kind = try query["kind"].map { JournalEvent.Kind(rawValue: try withoutNUL(String($0), "kind")) }
        return JSONBodyEncoder.encode(try store.events(from: from, to: to, kind: kind, limit: Int(limit)).map(JournalShape.init))
    }

    private func overview(_ id: String) async throws -> PlantOverview {
        guard let overview = try await fleet.plants().first(where: { $0.id == id }) else {
            throw APIError(status: .notFound, message: "no plant '\(id)' in the fleet database")
        }
        return overview
    }

    private func store(_ id: String) async throws -> any HistoryStore {
        guard let store = try await fleet.store(forPlant: id) else {
            throw APIError(status: .notFound, message: "no plant '\(id)' in the fleet database")
        }
        return store
    }

    func overviewJSON(_ plant: PlantOverview, now: Int64) -> JSON { .pairs(overviewPairs(plant, now: now)) }

    func overviewPairs(_ plant: PlantOverview, now: Int64) -> [(String, JSON)] {
        let snapshot = plant.snapshot
        let encoded = plant.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? plant.id
        return [
            ("id", .string(plant.id)), ("name", snapshot.map { .string($0.name) } ?? .null),
            ("site", snapshot.map { .string($0.site) } ?? .null),
            ("lastSampleTime", plant.lastSampleTime.map(JSON.int) ?? .null), ("lastWrite", plant.lastWrite.map(JSON.int) ?? .null),
            ("historianLagSeconds", plant.lag(at: now).map { .number(Double($0) / 1000) } ?? .null),
            ("series", .number(Double(plant.series))),
            ("snapshotTime", snapshot.map { .int($0.time) } ?? .null),
            ("devicesUp", snapshot.map { .number(Double($0.devices.filter(\.up).count)) } ?? .null),
            ("devices", snapshot.map { .number(Double($0.devices.count)) } ?? .null),
            ("activeAlarms", snapshot.map { .number(Double($0.activeAlarms)) } ?? .null),
            ("unacknowledgedAlarms", snapshot.map { .number(Double($0.unacknowledgedAlarms)) } ?? .null),
            ("kpis", .array((snapshot?.kpis ?? []).map(Self.kpiJSON))),
            ("historian", snapshot.map { statusJSON($0.historian) } ?? .null),
            ("links", .pairs([("self", .string("/api/v1/plants/\(encoded)")), ("page", .string("/plants/\(encoded)")),
                              ("series", .string("/api/v1/plants/\(encoded)/series")),
                              ("events", .string("/api/v1/plants/\(encoded)/events"))])),
        ]
    }

    /// A KPI as the monitor's own API writes it, quality as the object `{good,status,reason[,detail]}` (the plant
    /// publishes it as text; null when the text is not a quality this version reads).
    static func kpiJSON(_ k: PlantSnapshot.KPI) -> JSON {
        .pairs([("name", .string(k.name)), ("label", .string(k.label)), ("value", JSON.number(k.value)), ("unit", .string(k.unit)),
                ("quality", Quality(description: k.quality).map(Self.qualityJSON) ?? .null)])
    }

    /// The same members as ``QualityShape`` writes (`FleetQualityTests` compares the two byte for byte).
    static func qualityJSON(_ quality: Quality) -> JSON {
        var pairs: [(String, JSON)] = [("good", .bool(quality.isGood)), ("status", .string(quality.status.name)),
                                       ("reason", .string("\(quality.reason)"))]
        if quality.detail != 0 { pairs.append(("detail", .number(Double(quality.detail)))) }
        return .pairs(pairs)
    }
}
