import Foundation

extension JournalEvent {
    /// What a journal entry carries besides its message.
    public enum Detail: Sendable, Hashable {
        case none
        case alarm(AlarmChange)
        case commFault(CommFault)
        /// Stored text this version does not read (another program's, or a malformed row): kept as it was.
        case text(String)

        /// The alarm transition, if this is one.
        public var alarm: AlarmChange? {
            if case .alarm(let change) = self { change } else { nil }
        }

        /// The scenario's communication fault, if this is one.
        public var commFault: CommFault? {
            if case .commFault(let fault) = self { fault } else { nil }
        }

        /// The detail as the database stores it: a JSON object (`{}` for none).
        public var stored: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let data: Data?
            switch self {
            case .none: return "{}"
            case .text(let text): return text
            case .alarm(let change): data = try? encoder.encode(change)
            case .commFault(let fault): data = try? encoder.encode(fault)
            }
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }

        /// Reads what ``stored`` writes for an event of `kind`. Rows written before the alarm's event was part of
        /// the detail (`{"from","to","priority","value"}`) take it from the message (`raised: …`); text that does
        /// not decode is kept as ``text(_:)``.
        public init(stored text: String, kind: Kind, message: String = "") {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "{}" {
                self = .none
                return
            }
            let data = Data(trimmed.utf8)
            switch kind {
            case .alarm:
                guard var change = try? JSONDecoder().decode(AlarmChange.self, from: data) else { break }
                if change.event == nil, let colon = message.firstIndex(of: ":") {
                    change.event = AlarmEvent(rawValue: String(message[..<colon]))
                }
                self = .alarm(change)
                return
            case .scenario:
                guard let fault = try? JSONDecoder().decode(CommFault.self, from: data) else { break }
                self = .commFault(fault)
                return
            default: break
            }
            self = .text(text)
        }
    }
}

extension JournalEvent: Codable {
    private enum CodingKeys: String, CodingKey { case time, kind, source, message, detail, user, id }

    /// The same fields as the database's row (kind and detail as text), so that spool files written by earlier
    /// versions read unchanged.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(time: c.decode(Int64.self, forKey: .time), kind: c.decode(String.self, forKey: .kind),
                      source: c.decode(String.self, forKey: .source), message: c.decode(String.self, forKey: .message),
                      storedDetail: c.decodeIfPresent(String.self, forKey: .detail) ?? "{}",
                      user: c.decodeIfPresent(String.self, forKey: .user), id: c.decodeIfPresent(Int64.self, forKey: .id))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(kind.rawValue, forKey: .kind)
        try c.encode(source, forKey: .source)
        try c.encode(message, forKey: .message)
        try c.encode(detail.stored, forKey: .detail)
        try c.encodeIfPresent(user, forKey: .user)
        try c.encodeIfPresent(id, forKey: .id)
    }
}
