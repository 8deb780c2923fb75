import Foundation
import Yams

/// Reads and validates plant descriptions (`PlantConfigs/*.yaml`).
///
/// Every problem is collected before anything is returned, so one run shows them all:
///
/// ```swift
/// do {
///     let plant = try PlantLoader.load(path: "PlantConfigs/soultz-sous-forets.yaml")
/// } catch let error as PlantConfigError {
///     print(error)   // soultz-sous-forets.yaml:42:16: devices[1].tags[3].address: ...
/// }
/// ```
public enum PlantLoader {
    /// Reads and validates a plant description file.
    ///
    /// - Parameter path: the YAML file; issues name it by its last path component.
    /// - Returns: the validated plant.
    /// - Throws: ``PlantConfigError`` listing every problem, or the file system's error when the file
    ///   cannot be read.
    public static func load(path: String) throws -> Plant {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = (path as NSString).lastPathComponent
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlantConfigError(issues: [
                .init(
                    file: file, line: 1, column: 1, keyPath: "", message: "the file is not UTF-8 text",
                    kind: .yamlSyntax)
            ])
        }
        return try load(yaml: text, file: file)
    }

    /// Validates a plant description held in a string.
    ///
    /// - Parameters:
    ///   - yaml: the YAML text.
    ///   - file: the name issues give for the text.
    /// - Returns: the validated plant.
    /// - Throws: ``PlantConfigError`` listing every problem.
    public static func load(yaml: String, file: String) throws -> Plant {
        let root = try parse(yaml: yaml, file: file)
        let reader = ConfigReader(file: file)
        let plant = reader.plant(root)
        if !reader.issues.isEmpty {
            throw PlantConfigError(issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        guard let plant else { preconditionFailure("a plant with no issues was not built") }
        // The process section is checked here too, so a bad process parameter stops a load like any other.
        if !plant.isMonitoringOnly { _ = try plant.flowsheetParameters() }
        return plant
    }

    /// Parses YAML into a ``ConfigNode`` tree, reporting syntax errors with Yams' line and column.
    static func parse(yaml: String, file: String) throws -> ConfigNode {
        func fail(_ line: Int, _ column: Int, _ message: String) -> PlantConfigError {
            PlantConfigError(issues: [
                .init(file: file, line: line, column: column, keyPath: "", message: message, kind: .yamlSyntax)
            ])
        }
        if yaml.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw fail(1, 1, "the file contains NUL bytes: not YAML text")
        }
        // Aliases are counted before Yams expands them (and hashes mapping keys deeply): a bomb is rejected here.
        try YAMLExpansion.check(yaml, file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                let .composer(context, problem, mark, _):
                let detail = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
                throw fail(mark.line, mark.column, "YAML syntax error: \(problem)\(detail)")
            case let .duplicatedKeysInMapping(duplicates, context):
                // Yams names only the mapping; point at the second occurrence of the key when it can be found.
                let key = duplicates.first ?? ""
                let (line, column) =
                    secondOccurrence(of: key, in: yaml, from: context.mark.line)
                    ?? (context.mark.line, context.mark.column)
                throw fail(line, column, "duplicate key \"\(key)\" in a mapping")
            default:
                throw fail(1, 1, "YAML error: \(error)")
            }
        }
        guard let node else { throw fail(1, 1, "the file is empty: expected a plant description mapping") }
        return convert(node, file: file)
    }

    /// Line and column of the second block-mapping line whose key is `key`, from `line` on.
    private static func secondOccurrence(of key: String, in yaml: String, from line: Int) -> (Int, Int)? {
        var seen = 0
        for (index, text) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where index + 1 >= line {
            var rest = Substring(text)
            var column = 1
            while rest.first == " " || rest.hasPrefix("- ") {
                let drop = rest.first == " " ? 1 : 2
                rest = rest.dropFirst(drop)
                column += drop
            }
            guard rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).first == ":" else {
                continue
            }
            seen += 1
            if seen == 2 { return (index + 1, column) }
        }
        return nil
    }

    private static func convert(_ node: Node, file: String) -> ConfigNode {
        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }
        switch node {
        case let .scalar(scalar):
            // A null scalar (`key:` or `~`) keeps an empty text so that it reads as missing.
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return .scalar(isNull ? "" : scalar.string, location(scalar.mark))
        case let .sequence(sequence):
            return .sequence(sequence.map { convert($0, file: file) }, location(sequence.mark))
        case let .mapping(mapping):
            let entries = mapping.map { pair in
                ConfigNode.Entry(
                    key: pair.key.scalar?.string ?? "\(pair.key)", keyLocation: location(pair.key.mark),
                    value: convert(pair.value, file: file))
            }
            return .mapping(entries, location(mapping.mark))
        case let .alias(alias):
            return .scalar("*\(alias.anchor)", location(alias.mark))
        }
    }
}
