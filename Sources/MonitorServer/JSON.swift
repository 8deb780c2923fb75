import Foundation

/// A small JSON value with a deterministic writer (keys in insertion order), for API bodies.
indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object(KeyValuePairs<String, JSON>)
    case pairs([(String, JSON)])

    static func number(_ value: Double?) -> JSON { value.map { $0.isFinite ? .number($0) : .null } ?? .null }
    static func int(_ value: Int64) -> JSON { .number(Double(value)) }

    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value):
            if !value.isFinite { out += "null" } else if value == value.rounded(), abs(value) < 1e15 { out += String(Int64(value)) } else { out += "\(value)" }
        case .string(let value): Self.quote(value, into: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case .object(let pairs): Self.writePairs(pairs.map { ($0.key, $0.value) }, into: &out)
        case .pairs(let pairs): Self.writePairs(pairs, into: &out)
        }
    }

    static func writePairs(_ pairs: [(String, JSON)], into out: inout String) {
        out += "{"
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "," }
            quote(pair.0, into: &out)
            out += ":"
            pair.1.write(into: &out)
        }
        out += "}"
    }

    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
