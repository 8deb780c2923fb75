import Foundation
public import ProcessModel

/// A column experiment file (`geolith column EXPERIMENT.yaml`): its text, its YAML tree, and the `--set`
/// overrides applied to it. Every key of the file can be set by its key path
/// (`binding.Li.k_d_per_s`, `steps.load.flow_bv_per_h`), which is also how `sweep` varies it and
/// `calibrate` fits it. The format is documented in `docs/rnd.md`.
///
/// ```swift
/// let file = try ColumnExperimentFile.load(path: "Experiments/lab-breakthrough.yaml")
/// let experiment = try file.setting("steps.load.flow_bv_per_h", to: "20").experiment()
/// ```
public struct ColumnExperimentFile: Sendable {
    /// The name errors give for the file (its last path component).
    public let file: String
    /// The file's text as read (the calibrated file is this text with values replaced).
    public let text: String
    /// The tree with every override applied.
    public private(set) var root: ConfigNode
    /// The overrides applied, in order.
    public private(set) var settings: [(key: String, value: String)] = []

    /// Parses an experiment held in a string (the experiment itself is read by ``experiment()``).
    ///
    /// - Throws: ``PlantConfigError`` for YAML syntax errors, with line and column.
    public init(yaml: String, file: String) throws {
        self.file = file
        self.text = yaml
        self.root = try PlantLoader.parse(yaml: yaml, file: file)
    }

    /// Reads an experiment file.
    ///
    /// - Throws: ``PlantConfigError`` for a file that is not UTF-8 or not YAML, or the file system's error
    ///   when it cannot be read.
    public static func load(path: String) throws -> ColumnExperimentFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = (path as NSString).lastPathComponent
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlantConfigError(issues: [
                .init(file: file, line: 1, column: 1, keyPath: "", message: "the file is not UTF-8 text", kind: .yamlSyntax)
            ])
        }
        return try ColumnExperimentFile(yaml: text, file: file)
    }

    /// Whether the file at `path` is a column experiment (a YAML mapping with an `experiment:` key), as
    /// opposed to a plant description. `false` when it cannot be read or parsed.
    public static func isExperiment(path: String) -> Bool {
        guard let file = try? load(path: path) else { return false }
        return file.root["experiment"] != nil
    }

    /// A copy with the value at `key` replaced by `value` (YAML text: a number, `180 mg/L`, a word, or a
    /// flow mapping such as `{bed_volumes: 20}`). Keys the file leaves at their default can be set too.
    ///
    /// - Throws: ``PlantConfigError`` naming the key path when it does not lead anywhere, or when the value
    ///   is not YAML. Whether the value suits the key is checked by ``experiment()``.
    public func setting(_ key: String, to value: String) throws -> ColumnExperimentFile {
        // Errors about the value point at what it replaces, or at the nearest mapping it goes into.
        var anchor = key
        var old = root.node(at: key)?.location
        while old == nil, let cut = anchor.lastIndex(where: { $0 == "." || $0 == "[" }) {
            anchor = String(anchor[..<cut])
            old = root.node(at: anchor)?.location
        }
        let location = old ?? root.location
        let origin = "\(file) (--set \(key))"
        let node: ConfigNode
        if value.trimmingSpaces.isEmpty {
            node = .scalar("", SourceLocation(file: origin, line: location.line, column: location.column))
        } else {
            node = try Self.relocated(PlantLoader.parse(yaml: value, file: origin), to: location, file: origin)
        }
        var copy = self
        copy.root = try root.setting(key, to: node)
        copy.settings.append((key, value))
        return copy
    }

    /// The value written at `key` (with overrides), or `nil` when the key is absent or not a single value.
    public func value(at key: String) -> String? { root.node(at: key)?.string }

    /// Reads and checks the experiment.
    ///
    /// - Throws: ``PlantConfigError`` listing every problem, each with file, line, column and key path.
    public func experiment() throws -> ColumnExperiment {
        let reader = ConfigReader(file: file)
        let experiment = reader.experiment(root)
        if !reader.issues.isEmpty {
            throw PlantConfigError(issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        guard let experiment else { preconditionFailure("an experiment with no issues was not built") }
        return experiment
    }

    /// A value parsed from `--set` placed where the value it replaces was, so that errors point there.
    private static func relocated(_ node: ConfigNode, to location: SourceLocation, file: String) -> ConfigNode {
        let here = SourceLocation(file: file, line: location.line, column: location.column)
        switch node {
        case let .scalar(text, _): return .scalar(text, here)
        case let .sequence(items, _): return .sequence(items.map { relocated($0, to: location, file: file) }, here)
        case let .mapping(entries, _):
            return .mapping(
                entries.map { .init(key: $0.key, keyLocation: here, value: relocated($0.value, to: location, file: file)) },
                here)
        }
    }
}
