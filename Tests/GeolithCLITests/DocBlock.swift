import Foundation

/// A shell block of the README or a guide, with the directive written before it.
///
/// Every ```` ```sh ```` block is a script the doc test runs. An HTML comment on the line before the fence says how:
///
/// - `<!-- doctest: stop-after="TEXT" -->`: the block ends in a daemon or server; once its output shows TEXT the
///   test sends SIGINT to the block's process group and expects it to stop.
/// - `expect="TEXT"`: the output must contain TEXT. `exit="N"`: the block must exit with N (default 0).
/// - `env="A=1 B=2"`: environment for the block. `each="NAME=v1 v2 …"`: the block runs once per value.
/// - `as="COMMAND"`: the block names `make` targets; COMMAND (what the target's recipe runs) is run instead, and
///   the Makefile must have those targets with COMMAND in one of their recipes.
/// - `skip="REASON"`: not run, for a block that would change the machine; the reason is reported.
struct DocBlock: Sendable, CustomStringConvertible {
    var file: String
    /// 1-based line of the opening fence.
    var line: Int
    var script: String
    var directives: [String: String]

    var description: String { "\(file):\(line)" }

    /// The `sh` blocks of a Markdown text, in order.
    static func blocks(in text: String, file: String) -> [DocBlock] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [DocBlock] = []
        var index = 0
        var fence: String?
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if trimmed == open { fence = nil }
                index += 1
                continue
            }
            if trimmed.hasPrefix("```") {
                let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if info == "sh" {
                    var body: [String] = []
                    var end = index + 1
                    while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" {
                        body.append(lines[end])
                        end += 1
                    }
                    let previous = index > 0 ? lines[index - 1] : ""
                    blocks.append(DocBlock(file: file, line: index + 1, script: body.joined(separator: "\n"),
                                           directives: directives(previous)))
                    index = end + 1
                    continue
                }
                fence = "```"
            }
            index += 1
        }
        return blocks
    }

    /// `key="value"` pairs of a `<!-- doctest: … -->` comment; empty for any other line.
    static func directives(_ line: String) -> [String: String] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("<!-- doctest:"), trimmed.hasSuffix("-->") else { return [:] }
        var rest = Substring(trimmed.dropFirst("<!-- doctest:".count).dropLast(3))
        var result: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { break }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: "\"") else { break }
            result[key] = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
        }
        return result
    }

    /// The runs of this block: one, or one per value of `each`, with the block's environment.
    var runs: [[String: String]] {
        var base: [String: String] = [:]
        for pair in (directives["env"] ?? "").split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { base[String(parts[0])] = String(parts[1]) }
        }
        guard let each = directives["each"], let equals = each.firstIndex(of: "=") else { return [base] }
        let name = String(each[..<equals])
        return each[each.index(after: equals)...].split(separator: " ").map { value in
            var environment = base
            environment[name] = String(value)
            return environment
        }
    }

    /// The `make` targets a block names (`make demo  # …` → `demo`).
    var makeTargets: [String] {
        script.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            return words.count >= 2 && words[0] == "make" ? String(words[1]) : nil
        }
    }

    /// The recipe lines of each target of a Makefile.
    static func recipes(ofMakefile text: String) -> [String: [String]] {
        var recipes: [String: [String]] = [:]
        var current: [String] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("\t") {
                for target in current { recipes[target, default: []].append(String(line.dropFirst())) }
            } else if !line.hasPrefix("#"), let colon = line.firstIndex(of: ":"), !line.contains(":="), !line.contains("?="),
                      !line[..<colon].contains("=") {
                current = line[..<colon].split(separator: " ").map(String.init).filter { !$0.hasPrefix(".") }
                for target in current where recipes[target] == nil { recipes[target] = [] }
            } else if !line.isEmpty {
                current = []
            }
        }
        return recipes
    }
}
