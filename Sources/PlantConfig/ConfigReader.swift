import Foundation

/// Collects issues while reading a ``ConfigNode`` tree. Values that fail to read are reported and
/// replaced by placeholders so that reading goes on and every problem is found in one pass; the
/// plant built from placeholders is thrown away when any issue was reported.
final class ConfigReader {
    let file: String
    private(set) var issues: [PlantConfigError.Issue] = []
    /// What a reader should know that is not a problem (``Plant/notes``).
    private(set) var notes: [String] = []
    /// Where each value read so far sits, by key path, for checks made after reading.
    var marks: [String: SourceLocation] = [:]

    init(file: String) {
        self.file = file
    }

    func report(_ location: SourceLocation, _ keyPath: String, _ message: String, _ kind: PlantConfigError.Kind) {
        // A value that came from elsewhere (an experiment's `--set`) names its origin.
        issues.append(
            .init(
                file: location.file.isEmpty ? file : location.file, line: location.line, column: location.column,
                keyPath: keyPath, message: message, kind: kind))
    }

    func note(_ location: SourceLocation, _ keyPath: String, _ message: String) {
        notes.append("\(file):\(location.line):\(location.column): \(keyPath): \(message)")
    }

    // MARK: Scalars

    private func describe(_ node: ConfigNode) -> String {
        switch node {
        case let .scalar(text, _): return text.isEmpty ? "an empty value" : "\"\(text.prefix(40))\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    private func scalarText(_ node: ConfigNode, _ path: String, expected: String) -> String? {
        guard case let .scalar(text, _) = node, !text.isEmpty else {
            report(node.location, path, "expected \(expected), found \(describe(node))", .wrongType)
            return nil
        }
        return text
    }

    func string(_ node: ConfigNode, _ path: String) -> String? {
        scalarText(node, path, expected: "a string")
    }

    func double(_ node: ConfigNode, _ path: String) -> Double? {
        guard let text = scalarText(node, path, expected: "a number") else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            report(node.location, path, "expected a finite number, found \(describe(node))", .wrongType)
            return nil
        }
        return value
    }

    func int(_ node: ConfigNode, _ path: String) -> Int? {
        guard let text = scalarText(node, path, expected: "an integer") else { return nil }
        let value = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let value else {
            report(node.location, path, "expected an integer, found \(describe(node))", .wrongType)
            return nil
        }
        return value
    }

    func bool(_ node: ConfigNode, _ path: String) -> Bool? {
        guard let text = scalarText(node, path, expected: "true or false") else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default:
            report(node.location, path, "expected true or false, found \(describe(node))", .wrongType)
            return nil
        }
    }

    /// A duration written `500ms`, `2s`, `1.5 min`, `1h`, `1d`, or a bare number of seconds.
    func duration(_ node: ConfigNode, _ path: String) -> Duration? {
        guard let text = scalarText(node, path, expected: "a duration such as 500ms or 2s") else { return nil }
        let units: [(String, Double)] = [("ms", 1e-3), ("min", 60), ("s", 1), ("h", 3600), ("d", 86400)]
        var number = text.trimmingCharacters(in: .whitespaces)
        var factor = 1.0
        for (suffix, seconds) in units where number.hasSuffix(suffix) {
            number = String(number.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            factor = seconds
            break
        }
        guard let value = Double(number), value.isFinite, abs(value * factor) < 1e12 else {
            report(
                node.location, path, "expected a duration such as 500ms, 2s or 1min, found \(describe(node))",
                .wrongType)
            return nil
        }
        return .nanoseconds(Int64((value * factor * 1e9).rounded()))
    }

    /// A value from a fixed set of names; reports `kind` with a suggestion when it is not one of them.
    func choice<T>(
        _ node: ConfigNode, _ path: String, _ options: [(String, T)], what: String,
        kind: PlantConfigError.Kind = .invalidValue
    ) -> T? {
        guard let text = scalarText(node, path, expected: what) else { return nil }
        if let match = options.first(where: { $0.0 == text }) { return match.1 }
        let names = options.map(\.0)
        report(
            node.location, path,
            "unknown \(what) \"\(text.prefix(40))\"\(suggestion(for: text, in: names)); expected one of "
                + names.joined(separator: ", "), kind)
        return nil
    }

    func list(_ node: ConfigNode, _ path: String) -> [ConfigNode]? {
        guard case let .sequence(items, _) = node else {
            report(node.location, path, "expected a list, found \(describe(node))", .wrongType)
            return nil
        }
        return items
    }

    func mapping(_ node: ConfigNode, _ path: String, keys: [String]) -> Fields? {
        guard case let .mapping(entries, location) = node else {
            report(node.location, path, "expected a mapping, found \(describe(node))", .wrongType)
            return nil
        }
        for entry in entries where !keys.contains(entry.key) {
            report(
                entry.keyLocation, join(path, entry.key),
                "unknown key \"\(entry.key.prefix(40))\"\(suggestion(for: entry.key, in: keys))", .unknownKey)
        }
        return Fields(reader: self, path: path, location: location, entries: entries)
    }

    /// The values of a mapping, read by key.
    struct Fields {
        let reader: ConfigReader
        let path: String
        let location: SourceLocation
        let entries: [ConfigNode.Entry]

        /// The value for `key`; `nil` when absent or empty, reported when required.
        func node(_ key: String, required: Bool = false) -> ConfigNode? {
            if let node = entries.first(where: { $0.key == key })?.value, node.string != "" {
                reader.marks[path(key)] = node.location
                return node
            }
            if required {
                reader.report(location, path, "missing required key \"\(key)\"", .missingKey)
            }
            return nil
        }

        func path(_ key: String) -> String { reader.join(path, key) }

        func get<T>(
            _ key: String, required: Bool = false, _ read: (ConfigNode, String) -> T?
        ) -> T? {
            node(key, required: required).flatMap { read($0, path(key)) }
        }
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Suggestions

    func suggestion(for word: String, in candidates: [String]) -> String {
        let scored = candidates.map { ($0, Self.editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 < word.count,
            best.1 <= max(1, min(3, best.0.count / 3))
        else { return "" }
        return "; did you mean \"\(best.0)\"?"
    }

    /// Edit distance counting a swap of two neighbours as one edit (optimal string alignment), so that
    /// `nmae` is one edit from `name`. Inputs are capped at 64 characters so that junk keys cost little.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b.prefix(64))
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// `500 ms`, `2 s`, `120 s`: durations as people write them in the file.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1e3 + Double(attoseconds) * 1e-15
        func text(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        return abs(milliseconds) < 1000 ? "\(text(milliseconds)) ms" : "\(text(milliseconds / 1000)) s"
    }
}
