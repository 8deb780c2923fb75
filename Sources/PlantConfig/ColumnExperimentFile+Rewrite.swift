extension ColumnExperimentFile {
    /// The file's text with new values at some keys, everything else (comments, layout, other values)
    /// as written: how `geolith calibrate` writes the calibrated file.
    ///
    /// A key the file writes has its value replaced in place; a key it leaves at the default is added to
    /// its mapping, which must be written in the file.
    ///
    /// - Throws: ``PlantConfigError`` naming a key whose mapping is not in the file, or whose value is not a
    ///   single value on one line.
    public func rewritten(_ values: [(key: String, value: String)]) throws -> String {
        let original = try PlantLoader.parse(yaml: text, file: file)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Edits from the end of the file backwards, so earlier positions stay valid.
        var edits: [(line: Int, column: Int, remove: Int, insert: String, newLine: Bool)] = []
        for (key, value) in values {
            edits.append(try edit(original, lines, key: key, value: value))
        }
        for edit in edits.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
            if edit.newLine {
                lines.insert(edit.insert, at: edit.line - 1)
            } else {
                var characters = Array(lines[edit.line - 1])
                characters.replaceSubrange((edit.column - 1)..<(edit.column - 1 + edit.remove), with: Array(edit.insert))
                lines[edit.line - 1] = String(characters)
            }
        }
        return lines.joined(separator: "\n")
    }

    private func failure(_ key: String, _ location: SourceLocation, _ message: String) -> PlantConfigError {
        PlantConfigError(issues: [
            .init(file: file, line: location.line, column: location.column, keyPath: key, message: message, kind: .invalidValue)
        ])
    }

    private func edit(_ root: ConfigNode, _ lines: [String], key: String, value: String) throws
        -> (line: Int, column: Int, remove: Int, insert: String, newLine: Bool)
    {
        if let node = root.node(at: key) {
            guard case let .scalar(_, location) = node, lines.indices.contains(location.line - 1) else {
                throw failure(key, node.location, "cannot write a value here: it is not a single value")
            }
            let characters = Array(lines[location.line - 1])
            let start = location.column - 1
            guard start < characters.count else { throw failure(key, location, "cannot find the value on its line") }
            return (location.line, location.column, Self.tokenLength(characters, from: start), value, false)
        }
        // Not written: add `key: value` to the parent mapping.
        guard let dot = key.lastIndex(of: "."), !key.hasSuffix("]") else {
            throw failure(key, root.location, "cannot add this key; write it in the file first")
        }
        let parentKey = String(key[..<dot]), name = String(key[key.index(after: dot)...])
        guard let parent = root.node(at: parentKey), case let .mapping(entries, location) = parent,
            let first = entries.first
        else {
            throw failure(key, root.location, "\(parentKey) is not a mapping written in the file; add \(name) there first")
        }
        let line = Array(lines[location.line - 1])
        if location.column - 1 < line.count, line[location.column - 1] == "{" {
            return (location.line, location.column + 1, 0, "\(name): \(value), ", false)
        }
        let firstLine = Array(lines[first.keyLocation.line - 1])
        let indent = String(repeating: " ", count: first.keyLocation.column - 1)
        if firstLine.prefix(first.keyLocation.column - 1).allSatisfy({ $0 == " " }) {
            return (first.keyLocation.line, 1, 0, "\(indent)\(name): \(value)", true)
        }
        // The mapping starts on a list item's line (`- name: load`): add the key after that line when the
        // first value is on it.
        guard case let .scalar(_, valueLocation) = first.value, valueLocation.line == first.keyLocation.line else {
            throw failure(key, first.keyLocation, "cannot add \(name) to this list item; write it in the file first")
        }
        return (first.keyLocation.line + 1, 1, 0, "\(indent)\(name): \(value)", true)
    }

    /// Length of the scalar written at `start`: a quoted string to its closing quote, or a plain value up
    /// to a comment, the end of the line, or (inside `{…}` or `[…]`) the next `,`, `}` or `]`.
    static func tokenLength(_ line: [Character], from start: Int) -> Int {
        if line[start] == "\"" || line[start] == "'" {
            var i = start + 1
            while i < line.count {
                if line[i] == "\\" && line[start] == "\"" {
                    i += 2
                    continue
                }
                if line[i] == line[start] { return i - start + 1 }
                i += 1
            }
            return line.count - start
        }
        let inFlow = line[..<start].reduce(0) { depth, c in
            c == "{" || c == "[" ? depth + 1 : (c == "}" || c == "]" ? depth - 1 : depth)
        } > 0
        var end = start
        while end < line.count {
            let c = line[end]
            if c == "#" && end > start && line[end - 1] == " " { break }
            if inFlow && (c == "," || c == "}" || c == "]") { break }
            end += 1
        }
        while end > start && line[end - 1] == " " { end -= 1 }
        return end - start
    }
}
