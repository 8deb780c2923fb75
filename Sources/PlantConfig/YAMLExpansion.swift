// libyaml's event parser, as Yams builds it. Yams composes aliases into shared copies of the anchored node and
// then hashes mapping keys (deeply) and we walk the tree: a 345-byte file of 7 nested anchors cost 1.7 s and
// 572 MB, 10 levels ran away. The size a document expands to is counted here from the events first, in time
// and memory proportional to the text, before anything expands it.
internal import CYaml

/// The size a YAML document expands to once every alias is replaced by its anchor's node, and the bound it
/// must stay under.
///
/// A plant file may share a block (alarm limits, an endpoint) through anchors and aliases; what it may not do
/// is expand beyond ``maximumAddedNodes`` nodes or twice its written nodes, whichever is more. A
/// document over the bound is rejected with the line of the alias that crossed it, before Yams composes it.
public enum YAMLExpansion {
    /// Nodes aliases may add whatever the document's size.
    public static let maximumAddedNodes = 200_000

    /// The written and expanded node counts of a document.
    public struct Size: Sendable, Hashable {
        public var written: Int
        public var expanded: Int
        /// The most expanded nodes a document of `written` nodes may have.
        public var limit: Int { written + max(YAMLExpansion.maximumAddedNodes, 2 * written) }
    }

    /// Counts the nodes of `yaml` as written and as expanded; stops at the first alias past the bound.
    ///
    /// - Throws: ``PlantConfigError`` (kind `yamlSyntax`) naming the line of the alias that takes the document
    ///   past its bound. Syntax errors are left to the parser that follows, which reports them better.
    @discardableResult
    public static func check(_ yaml: String, file: String) throws(PlantConfigError) -> Size {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return Size(written: 0, expanded: 0) }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(yaml.utf8)
        return try utf8.withUnsafeMutableBufferPointer { buffer throws(PlantConfigError) -> Size in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = Counter()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return counter.size }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return counter.size }
                if let line = counter.take(event) {
                    let size = counter.size
                    throw PlantConfigError(issues: [.init(
                        file: file, line: line, column: Int(event.start_mark.column) + 1, keyPath: "",
                        message: "aliases expand this document past \(size.limit) nodes (it has \(size.written) "
                            + "written): anchors nested into a bomb? Write the repeated blocks out, or share fewer",
                        kind: .yamlSyntax)])
                }
            }
        }
    }

    /// Running counts over the event stream: `expanded` adds one for each scalar and collection and, for each
    /// alias, the expanded size of its anchor's node, so it is the expanded size of what has been read so far.
    /// Sizes are capped at `Int.max / 4`, so nested aliases cannot overflow the sums.
    private struct Counter {
        var written = 0
        var expanded = 0
        /// The expanded size of each anchored node (the latest of a name, as YAML's shadowing says).
        var anchors: [String: Int] = [:]
        /// Open collections: their anchor and expanded size so far.
        var open: [(anchor: String?, size: Int)] = []
        static let cap = Int.max / 4

        var size: Size { Size(written: written, expanded: expanded) }

        /// Counts one event; returns the (1-based) line of an alias that takes the document past its bound.
        mutating func take(_ event: yaml_event_t) -> Int? {
            switch event.type {
            case YAML_SCALAR_EVENT:
                node(1)
                if let anchor = Self.text(event.data.scalar.anchor) { anchors[anchor] = 1 }
            case YAML_SEQUENCE_START_EVENT:
                node(1, inParent: false)
                open.append((Self.text(event.data.sequence_start.anchor), 1))
            case YAML_MAPPING_START_EVENT:
                node(1, inParent: false)
                open.append((Self.text(event.data.mapping_start.anchor), 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let (anchor, size) = open.popLast() else { break }
                if let anchor { anchors[anchor] = size }
                if let parent = open.indices.last { open[parent].size = min(Self.cap, open[parent].size + size) }
            case YAML_ALIAS_EVENT:
                node(Self.text(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1)
                if expanded > size.limit { return Int(event.start_mark.line) + 1 }
            default:
                break
            }
            return nil
        }

        /// A node written once that expands to `size` nodes, added to the document and (unless it is a collection
        /// that adds its whole size when it ends) to its parent.
        private mutating func node(_ size: Int, inParent: Bool = true) {
            written += 1
            expanded = min(Self.cap, expanded + size)
            if inParent, let parent = open.indices.last { open[parent].size = min(Self.cap, open[parent].size + size) }
        }

        static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let pointer else { return nil }
            return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        }
    }
}
