/// The known keys closest to a mistyped one, for "did you mean" messages (parameters, KPIs).
public enum KeySuggestions {
    /// Up to `limit` keys of `candidates` nearest to `key`: those within an edit distance of a third of the
    /// key's length (at least 2), nearest first, then those sharing its first path component.
    ///
    ///     KeySuggestions.closest(to: "production.flwo", among: keys)  // ["production.flow"]
    public static func closest(to key: String, among candidates: [String], limit: Int = 4) -> [String] {
        let budget = max(2, key.count / 3)
        var scored: [(key: String, distance: Int)] = []
        for candidate in candidates {
            let d = distance(key, candidate)
            if d <= budget { scored.append((candidate, d)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.key < $1.key }
        var keys = scored.map(\.key)
        let prefix = key.split(separator: ".").first.map(String.init) ?? key
        for candidate in candidates where candidate.hasPrefix(prefix + ".") || candidate == prefix {
            if !keys.contains(candidate) { keys.append(candidate) }
        }
        return Array(keys.prefix(limit))
    }

    /// "; did you mean a, b?" or "" when nothing is close.
    public static func hint(for key: String, among candidates: [String]) -> String {
        let keys = closest(to: key, among: candidates)
        return keys.isEmpty ? "" : "; did you mean \(keys.joined(separator: ", "))?"
    }

    /// Levenshtein distance over Unicode scalars (Wagner–Fischer, two rows).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        var previous = Array(0...y.count)
        var current = previous
        for i in 1...x.count {
            current[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
