import Yams

/// A YAML subtree that keeps the position of every value: the `process:` section of a plant,
/// left for the process model to decode.
///
/// ```swift
/// struct Process: Decodable { var sorbent: String }
/// let process = try plant.process?.decode(Process.self)
/// ```
public indirect enum ConfigNode: Sendable, Hashable {
    case scalar(String, SourceLocation)
    case sequence([ConfigNode], SourceLocation)
    case mapping([Entry], SourceLocation)

    /// One key and its value in a mapping, in file order.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: ConfigNode

        public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public var location: SourceLocation {
        switch self {
        case let .scalar(_, location), let .sequence(_, location), let .mapping(_, location): return location
        }
    }

    /// The value for a key of a mapping, or `nil`.
    public subscript(key: String) -> ConfigNode? {
        guard case let .mapping(entries, _) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The text of a scalar, or `nil`.
    public var string: String? {
        if case let .scalar(text, _) = self { return text }
        return nil
    }

    /// Decodes the subtree with Yams' `YAMLDecoder`.
    ///
    /// - Parameter type: the type to decode.
    /// - Returns: the decoded value.
    /// - Throws: ``PlantConfigError`` with one issue naming file, line, column and key path of the value
    ///   that failed (``PlantConfigError/Kind/missingKey`` or ``PlantConfigError/Kind/wrongType``).
    public func decode<T: Decodable>(_ type: T.Type, keyPath: String = "process") throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: yamsNode)
        } catch let error as DecodingError {
            throw PlantConfigError(issues: [issue(for: error, keyPath: keyPath)])
        }
    }

    private var yamsNode: Node {
        switch self {
        case let .scalar(text, _):
            // Positions are recovered from the coding path of a decoding error, not from Yams marks.
            return .scalar(.init(text))
        case let .sequence(items, _):
            return .sequence(.init(items.map(\.yamsNode)))
        case let .mapping(entries, _):
            return .mapping(.init(entries.map { (Node.scalar(.init($0.key)), $0.value.yamsNode) }))
        }
    }

    private func issue(for error: DecodingError, keyPath base: String) -> PlantConfigError.Issue {
        let (path, message, kind): ([any CodingKey], String, PlantConfigError.Kind)
        switch error {
        case let .keyNotFound(key, context):
            path = context.codingPath
            (message, kind) = ("missing required key \"\(key.stringValue)\"", .missingKey)
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            path = context.codingPath
            (message, kind) = (context.debugDescription, .wrongType)
        @unknown default:
            (path, message, kind) = ([], "\(error)", .wrongType)
        }
        // Walk down the coding path as far as the tree goes, to point at the failing value.
        var node = self
        var keyPath = base
        for key in path {
            if let index = key.intValue, case let .sequence(items, _) = node, items.indices.contains(index) {
                node = items[index]
                keyPath += "[\(index)]"
            } else if let child = node[key.stringValue] {
                node = child
                keyPath += keyPath.isEmpty ? key.stringValue : ".\(key.stringValue)"
            } else {
                break
            }
        }
        let location = node.location
        return .init(
            file: location.file, line: location.line, column: location.column, keyPath: keyPath, message: message,
            kind: kind)
    }
}
