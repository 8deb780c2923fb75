import Foundation
import Historian
import Hummingbird
import HTTPTypes
import Monitor
import PlantConfig
import ProcessModel
import RegisterVocabulary
import Timekeeping

/// The API's handlers over the monitor's live state and historian.
struct API: Sendable {
    /// The state requests read (replaced on reload).
    let slot: MonitorStateSlot
    /// token → user
    let tokens: [String: String]
    let streams: LiveStreams

    var state: MonitorState { slot.current }

    static func now() -> Int64 { Timestamp.now.milliseconds }

    func plant() -> JSON {
        let p = state.plant
        // A monitoring-only description has no site or brine: they are null.
        let brine: JSON = p.brine.map { brine in
            .pairs([("temperature", .number(brine.temperature)), ("tds", .number(brine.tds)),
                    ("composition", .pairs(brine.composition.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }))])
        } ?? .null
        return .pairs([("id", .string(p.id)), ("name", .string(p.name)), ("site", p.site.map { .string($0.name) } ?? .null),
                       ("country", p.site.map { .string($0.country) } ?? .null), ("brine", brine),
                       ("devices", .number(Double(p.devices.count))), ("tags", .number(Double(p.allTags.count)))])
    }

    func devices() -> JSONWriter { JSONBodyEncoder.encode(state.deviceStatuses.map(DeviceShape.init)) }

    /// Every tag with its current value (``TagShape``s), its static parts written once per loaded plant.
    func tags() -> JSONWriter {
        let state = self.state
        return slot.tagList(for: state).write(values: state.tagValuesInPlantOrder)
    }

    func tag(_ name: String) throws -> JSONWriter {
        for device in state.plant.devices {
            if let tag = device.tags.first(where: { $0.name == name }) {
                return JSONBodyEncoder.encode(TagShape(tag: tag, device: device.name, value: state.tagValue(name)))
            }
        }
        throw unknown("tag", name, among: state.plant.allTags.map(\.name))
    }

    /// 404 for a name the plant does not have, with the nearest ones it has.
    func unknown(_ what: String, _ name: String, among known: [String]) -> APIError {
        APIError(status: .notFound, message: "no \(what) '\(name)'" + KeySuggestions.hint(for: name, among: known))
    }

    /// `from`/`to` in ms since 1970 UTC (default: the last hour), `maxPoints` 1…10,000 (default 500).
    func history(series name: String, isKPI: Bool, query: Parameters) async throws -> JSONWriter {
        if isKPI {
            guard state.kpis.contains(where: { $0.name == name }) else { throw unknown("KPI", name, among: state.kpis.map(\.name)) }
        } else {
            guard state.plant.tag(named: name) != nil else { throw unknown("tag", name, among: state.plant.allTags.map(\.name)) }
        }
        let now = Self.now()
        let to = try time(query, "to") ?? now
        let from = try time(query, "from") ?? max(to - 3_600_000, HistoryBounds.time.lowerBound)
        let maxPoints = try integer(query, "maxPoints") ?? 500
        guard from <= to else { throw APIError(status: .badRequest, message: "from must not be after to") }
        guard (1...10_000).contains(maxPoints) else { throw APIError(status: .badRequest, message: "maxPoints must be 1…10000") }
        guard let historian = state.historian else { throw APIError(status: .serviceUnavailable, message: "no historian") }
        let points = try await historian.history(
            of: isKPI ? "kpi:\(name)" : name, from: from, to: to, maxPoints: Int(maxPoints))
        return historyJSON(series: name, from: from, to: to, points: points, behind: historian.status.behind)
    }

    func integer(_ query: Parameters, _ key: String) throws -> Int64? { try queryInteger(query, key) }

    /// A time parameter in ms since 1970 UTC, checked against ``HistoryBounds/time`` before any arithmetic.
    func time(_ query: Parameters, _ key: String) throws -> Int64? { try queryTime(query, key) }

    /// Where the historian stands: `behind` while acknowledged samples wait in a spool for the database.
    func historianStatus() -> JSON {
        guard let historian = state.historian else { return .pairs([("backend", .string("none"))]) }
        return statusJSON(historian.status)
    }

    func kpis() -> JSONWriter { JSONBodyEncoder.encode(state.kpis.map(KPIShape.init)) }

    func alarms() -> JSONWriter {
        JSONBodyEncoder.encode(state.alarms.filter { $0.state != .normal || $0.shelvedUntil != nil }.map(AlarmShape.init))
    }

    func alarmHealth() -> JSON {
        let h = state.alarmHealth(at: Self.now())
        return .pairs([("alarmsLast10Minutes", .number(Double(h.alarmsLast10Minutes))), ("floodWindows", .number(Double(h.floodWindows))),
                       ("chattering", .array(h.chattering.map(JSON.string))), ("standing", .array(h.standing.map(JSON.string))),
                       ("active", .number(Double(h.active))), ("unacknowledged", .number(Double(h.unacknowledged))),
                       ("shelved", .number(Double(h.shelved))), ("outOfService", .number(Double(h.outOfService)))])
    }

    /// The user of a valid bearer token; 401 without one, 403 with a wrong one. The token is never logged. The
    /// scheme's name is case-insensitive (RFC 7235 §2.1: `bearer` is `Bearer`), spaces after it are skipped.
    func authorise(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else {
            throw APIError(status: .unauthorized, message: "this request changes state: send Authorization: Bearer <token>",
                           headers: [.wwwAuthenticate: "Bearer"])
        }
        let token = header.dropFirst(7).drop { $0 == " " }
        guard let user = tokens[String(token)] else { throw APIError(status: .forbidden, message: "token not accepted") }
        return user
    }

    func acknowledge(_ id: String, user: String) throws -> JSON {
        do {
            let changed = try state.acknowledge(id, user: user, at: Self.now())
            return .pairs([("id", .string(id)), ("acknowledged", .bool(changed)), ("by", .string(user))])
        } catch let error as AlarmEngine.ActionError {
            throw APIError(status: .notFound, message: error.description)
        }
    }

    func shelve(_ id: String, user: String, query: Parameters) throws -> JSON {
        let minutes = try integer(query, "minutes") ?? 60
        // Checked before it is multiplied into milliseconds (a valid token once stopped the daemon with
        // minutes=153722867280913).
        let maximum = state.maximumShelveMinutes
        guard (1...maximum).contains(minutes) else {
            throw APIError(status: .badRequest, message: "minutes must be 1…\(maximum)")
        }
        do {
            try state.shelve(id, user: user, for: minutes * 60_000, at: Self.now())
            return .pairs([("id", .string(id)), ("shelvedMinutes", .number(Double(minutes))), ("by", .string(user))])
        } catch let error as AlarmEngine.ActionError {
            if case .unknownAlarm = error { throw APIError(status: .notFound, message: error.description) }
            throw APIError(status: .badRequest, message: error.description)
        }
    }

    func events(kind: JournalEvent.Kind?, query: Parameters) throws -> JSONWriter {
        let now = Self.now()
        let to = try time(query, "to") ?? now
        let from = try time(query, "from") ?? max(to - 86_400_000, HistoryBounds.time.lowerBound)
        let limit = try integer(query, "limit") ?? 200
        guard (1...10_000).contains(limit), from <= to else { throw APIError(status: .badRequest, message: "limit 1…10000 and from ≤ to") }
        guard let historian = state.historian else { return JSONBodyEncoder.encode(JSON.array([])) }
        try historian.flush()
        return JSONBodyEncoder.encode(try historian.events(from: from, to: to, kind: kind, limit: Int(limit)).map(JournalShape.init))
    }

    func plan() -> JSON {
        .array(state.plant.devices.map { device in
            .pairs([("device", .string(device.name)), ("groups", .array(device.scanGroups.map { group in
                let (tags, plan) = device.readPlan(group: group.name)
                return .pairs([("group", .string(group.name)), ("tags", .number(Double(tags.count))),
                               ("requests", .array(plan.requests.map { r in
                                   .pairs([("table", .string(r.table.rawValue)), ("address", .number(Double(r.address))),
                                           ("count", .number(Double(r.count))), ("bridged", .number(Double(r.bridged)))])
                               }))])
            }))])
        })
    }

    func balances() -> JSON {
        guard let r = state.reconciliation else { return .pairs([("available", .bool(false))]) }
        return .pairs([("available", .bool(true)), ("residuals", .array(r.residuals.map { .number($0) })),
                       ("globalStatistic", .number(r.globalStatistic)), ("suspect", r.suspect.map(JSON.string) ?? .null),
                       ("suspects", .array(r.suspects.map(JSON.string)))])
    }
}
