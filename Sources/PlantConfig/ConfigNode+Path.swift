/// Key paths into a YAML tree, as `--set`, `sweep --vary` and `calibrate --fit` name values of an
/// experiment file: mapping keys joined by dots, and in lists an index or the element's `name:`
/// (`column.length_m`, `binding.Li.k_d_per_s`, `steps.load.end.bed_volumes`, `steps[0].flow_bv_per_h`).
extension ConfigNode {
    /// One step of a key path.
    enum PathSegment: Hashable {
        case key(String)
        case index(Int)
    }

    /// The segments of `path`, or `nil` when it is empty or malformed (`a..b`, `a[x]`).
    static func segments(_ path: String) -> [PathSegment]? {
        var result: [PathSegment] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard !rest.isEmpty else { return nil }
            if let open = rest.firstIndex(of: "[") {
                if open > rest.startIndex { result.append(.key(String(rest[..<open]))) }
                rest = rest[open...]
                while rest.first == "[" {
                    guard let close = rest.firstIndex(of: "]"),
                        let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                    else { return nil }
                    result.append(.index(index))
                    rest = rest[rest.index(after: close)...]
                }
                guard rest.isEmpty else { return nil }
            } else {
                result.append(.key(String(rest)))
            }
        }
        return result.isEmpty ? nil : result
    }

    /// The element of a list whose `name:` is `name`.
    private func namedElement(_ name: String) -> Int? {
        guard case let .sequence(items, _) = self else { return nil }
        return items.firstIndex { $0["name"]?.string == name }
    }

    /// The names of a list's elements, for error messages.
    private var elementNames: [String] {
        guard case let .sequence(items, _) = self else { return [] }
        return items.compactMap { $0["name"]?.string }
    }

    /// The node at `path`, or `nil` when there is none.
    public func node(at path: String) -> ConfigNode? {
        guard let segments = Self.segments(path) else { return nil }
        var node = self
        for segment in segments {
            switch (segment, node) {
            case let (.key(key), .mapping):
                guard let child = node[key] else { return nil }
                node = child
            case let (.key(name), .sequence(items, _)):
                guard let index = node.namedElement(name) else { return nil }
                node = items[index]
            case let (.index(index), .sequence(items, _)):
                guard items.indices.contains(index) else { return nil }
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }

    /// A copy of the tree with the value at `path` replaced by `value`. A missing key is added to its
    /// mapping (and missing mappings on the way are made), so keys left at their defaults can be set too.
    ///
    /// - Throws: ``PlantConfigError`` (kind ``PlantConfigError/Kind/unknownKey``) naming the key path when
    ///   the path is malformed, an index is out of range, no list element has the name, or the path runs
    ///   into a scalar.
    public func setting(_ path: String, to value: ConfigNode) throws -> ConfigNode {
        guard let segments = Self.segments(path) else {
            throw PlantConfigError(issues: [
                .init(
                    file: location.file, line: location.line, column: location.column, keyPath: path,
                    message: "not a key path (keys joined by dots, list elements by [index] or name)",
                    kind: .unknownKey)
            ])
        }
        return try replacing(segments[...], in: path, with: value, walked: "")
    }

    private func replacing(
        _ segments: ArraySlice<PathSegment>, in path: String, with value: ConfigNode, walked: String
    ) throws -> ConfigNode {
        guard let segment = segments.first else { return value }
        let rest = segments.dropFirst()
        func fail(_ message: String) -> PlantConfigError {
            PlantConfigError(issues: [
                .init(
                    file: location.file, line: location.line, column: location.column,
                    keyPath: walked.isEmpty ? path : walked, message: message, kind: .unknownKey)
            ])
        }
        switch (segment, self) {
        case let (.key(key), .mapping(entries, location)):
            let here = walked.isEmpty ? key : "\(walked).\(key)"
            var entries = entries
            if let i = entries.firstIndex(where: { $0.key == key }) {
                entries[i].value = try entries[i].value.replacing(rest, in: path, with: value, walked: here)
            } else {
                // A new key is placed where the value comes from, so that errors about it point there.
                let empty = ConfigNode.mapping([], value.location)
                let child = try (rest.isEmpty ? value : empty).replacing(rest, in: path, with: value, walked: here)
                entries.append(.init(key: key, keyLocation: value.location, value: child))
            }
            return .mapping(entries, location)
        case let (.key(name), .sequence(items, location)):
            guard let i = namedElement(name) else {
                let names = elementNames
                throw fail(
                    "no element named \"\(name)\"" + (names.isEmpty ? "" : " (there are \(names.joined(separator: ", ")))"))
            }
            var items = items
            items[i] = try items[i].replacing(rest, in: path, with: value, walked: "\(walked).\(name)")
            return .sequence(items, location)
        case let (.index(index), .sequence(items, location)):
            guard items.indices.contains(index) else { throw fail("no element [\(index)]: the list has \(items.count)") }
            var items = items
            items[index] = try items[index].replacing(rest, in: path, with: value, walked: "\(walked)[\(index)]")
            return .sequence(items, location)
        case (.index, _):
            throw fail("is not a list")
        case (.key, .scalar):
            throw fail("is a value, not a mapping, so it has no key \"\(segment)\"")
        }
    }
}

extension ConfigNode.PathSegment: CustomStringConvertible {
    var description: String {
        switch self {
        case let .key(key): key
        case let .index(index): "[\(index)]"
        }
    }
}

extension ConfigNode {
    /// Parses YAML text into a tree that keeps every value's position (for files other than plant
    /// descriptions that want the same file:line:column errors).
    ///
    /// - Throws: ``PlantConfigError`` for YAML syntax errors, with line and column.
    public static func parse(yaml: String, file: String) throws -> ConfigNode {
        try PlantLoader.parse(yaml: yaml, file: file)
    }
}
