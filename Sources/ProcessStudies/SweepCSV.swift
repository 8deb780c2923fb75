/// The CSV of a sweep (RFC 4180, UTF-8, `\n` line ends): a header naming every column with its unit, then one
/// row per point in index order. Numbers are written in their shortest exact form, so the text is the same on
/// every machine and reads back to the same doubles.
enum SweepCSV {
    /// The header line, with its line end.
    static func headerLine(_ titles: [String]) -> String {
        titles.map(field).joined(separator: ",") + "\n"
    }

    /// Appends the row of point `index` to `bytes`; `words[d]` are dimension `d`'s words when it is a choice.
    static func appendRow(
        index: Int, inputs: [Double], values: [Double], outcome: SweepEvaluator.Outcome, words: [[String]?],
        to bytes: inout ByteStream
    ) {
        appendInteger(index, to: &bytes)
        for d in 0..<inputs.count {
            bytes.append(comma)
            if let list = words[d] {
                bytes.append(contentsOf: field(list[Int(inputs[d])]).utf8)
            } else {
                append(inputs[d], to: &bytes)
            }
        }
        for k in 0..<values.count {
            bytes.append(comma)
            let v = values[k]
            if v.isFinite { append(v, to: &bytes) }
        }
        bytes.append(comma)
        bytes.append(contentsOf: statusBytes[Int(outcome.status.rawValue)])
        bytes.append(comma)
        if !outcome.warnings.isEmpty || !outcome.columnConverged {
            var first = true
            for (warning, name) in warningBytes where outcome.warnings.contains(warning) {
                if !first { bytes.append(UInt8(ascii: ";")) }
                bytes.append(contentsOf: name)
                first = false
            }
            if !outcome.columnConverged {
                if !first { bytes.append(UInt8(ascii: ";")) }
                bytes.append(contentsOf: "column_css_not_converged".utf8)
            }
        }
        bytes.append(comma)
        if let error = outcome.error { bytes.append(contentsOf: field(error).utf8) }
        bytes.append(UInt8(ascii: "\n"))
    }

    private static let warningBytes = SweepEvaluator.warningNames.map { ($0.0, Array($0.1.utf8)) }
    private static let statusBytes = SweepStatus.allCases.map { Array($0.description.utf8) }

    /// Decimal digits of a whole number (a small string: no allocation).
    private static func appendInteger(_ value: Int, to bytes: inout ByteStream) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private static let comma = UInt8(ascii: ",")

    private static func append(_ value: Double, to bytes: inout ByteStream) {
        // Whole numbers without ".0" read better (80, not 80.0) and still read back exactly.
        if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int(value), to: &bytes)
        } else {
            value.write(to: &bytes)
        }
    }

    /// A field, quoted when it holds a comma or a quote. Line breaks become spaces, so that every row is one
    /// line (shards are merged line by line).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        let oneLine = text.replacing("\r\n", with: " ").replacing("\n", with: " ").replacing("\r", with: " ")
        guard oneLine.contains(where: { $0 == "," || $0 == "\"" }) else { return oneLine }
        return "\"" + oneLine.replacing("\"", with: "\"\"") + "\""
    }

    /// Splits one CSV line into fields (quotes undone). The line has no line end.
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            current.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current)
        return out
    }
}

/// Bytes as a text stream, so that `Double.write(to:)` hands over a number's digits without making a String.
struct ByteStream: TextOutputStream, Sendable {
    var bytes: [UInt8] = []

    mutating func append(_ byte: UInt8) { bytes.append(byte) }
    mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// The standard library's entry for ASCII text such as the digits of a number: taken as it is, so formatting
    /// a number allocates nothing (an underscored requirement of `TextOutputStream`, whose default would make a
    /// String and call ``write(_:)``).
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}
