/// The quality of a value, after OPC UA's three classes (DESIGN.md, Conventions): good, uncertain,
/// bad, each with a reason. Carried by every sample, stored by the historian and propagated through
/// everything computed from a value.
public struct Quality: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The OPC UA class of a quality. Ordered: a combination of values is as good as its worst input.
    public enum Status: UInt8, Sendable, Hashable, Codable, Comparable, CaseIterable {
        case bad = 0
        case uncertain = 1
        case good = 2

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Why a value is not good. Raw values are stable: the historian stores them.
    public enum Reason: UInt8, Sendable, Hashable, Codable, CaseIterable {
        case none = 0
        // uncertain
        case stale = 10
        case clamped = 11
        case suspect = 12
        case initialValue = 13
        case substituted = 14
        /// A soft sensor averaged over a process cycle that has not yet been observed whole.
        case incompleteCycle = 15
        // bad
        case commFailure = 20
        case timeout = 21
        case exception = 22
        case decodeError = 23
        case outOfRange = 24
        case sensorSentinel = 25
        case notConnected = 26
        case outOfService = 27
        case inputBad = 28
    }

    public var status: Status
    public var reason: Reason
    /// Detail for bad values, e.g. the Modbus exception code; 0 when unused.
    public var detail: UInt16

    public init(_ status: Status, _ reason: Reason = .none, detail: UInt16 = 0) {
        self.status = status
        self.reason = reason
        self.detail = detail
    }

    public static let good = Quality(.good)
    public static func uncertain(_ reason: Reason) -> Quality { Quality(.uncertain, reason) }
    public static func bad(_ reason: Reason, detail: UInt16 = 0) -> Quality { Quality(.bad, reason, detail: detail) }

    public var isGood: Bool { status == .good }

    /// The quality of a value computed from several inputs: the worst input decides; a bad input
    /// makes the result bad with reason `inputBad`, an uncertain one makes it uncertain.
    public static func combining(_ qualities: some Sequence<Quality>) -> Quality {
        var worst = Quality.good
        for quality in qualities where quality.status < worst.status { worst = quality }
        return derived(from: worst)
    }

    /// ``combining(_:)`` of two or three inputs, without building a collection (soft sensors call it for
    /// every KPI on every tick).
    public static func combining(_ a: Quality, _ b: Quality, _ c: Quality = .good) -> Quality {
        var worst = a
        if b.status < worst.status { worst = b }
        if c.status < worst.status { worst = c }
        return derived(from: worst)
    }

    private static func derived(from worst: Quality) -> Quality {
        switch worst.status {
        case .good: return .good
        case .uncertain: return Quality(.uncertain, worst.reason == .none ? .suspect : worst.reason)
        case .bad: return Quality(.bad, .inputBad)
        }
    }

    /// Packs status, reason and detail into one integer for storage (status in bits 0–7, reason in
    /// 8–15, detail in 16–31).
    public var storageCode: Int64 {
        Int64(status.rawValue) | Int64(reason.rawValue) << 8 | Int64(detail) << 16
    }

    public init?(storageCode: Int64) {
        guard let status = Status(rawValue: UInt8(truncatingIfNeeded: storageCode)),
              let reason = Reason(rawValue: UInt8(truncatingIfNeeded: storageCode >> 8))
        else { return nil }
        self.init(status, reason, detail: UInt16(truncatingIfNeeded: storageCode >> 16))
    }

    public var description: String {
        switch status {
        case .good: return "good"
        case .uncertain: return "uncertain(\(reason))"
        case .bad: return detail == 0 ? "bad(\(reason))" : "bad(\(reason) \(detail))"
        }
    }

    /// Reads what ``description`` writes: `good`, `uncertain(stale)`, `bad(exception 2)`; nil for other text.
    public init?(description text: String) {
        if text == "good" {
            self = .good
            return
        }
        let status: Status
        var rest: Substring
        if text.hasPrefix("uncertain(") {
            status = .uncertain
            rest = text.dropFirst("uncertain(".count)
        } else if text.hasPrefix("bad(") {
            status = .bad
            rest = text.dropFirst("bad(".count)
        } else {
            return nil
        }
        guard rest.last == ")" else { return nil }
        rest = rest.dropLast()
        let parts = rest.split(separator: " ")
        guard let name = parts.first, parts.count <= 2,
              let reason = Reason.allCases.first(where: { "\($0)" == name }) else { return nil }
        var detail: UInt16 = 0
        if parts.count == 2 {
            guard let value = UInt16(parts[1]) else { return nil }
            detail = value
        }
        self.init(status, reason, detail: detail)
    }
}
