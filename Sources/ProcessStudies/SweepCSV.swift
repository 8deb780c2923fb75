/// The CSV of a sweep (RFC 4180, UTF-8, `\n` line ends): a header naming every column with its unit, then one
/// row per point in index order. Numbers are written in their shortest exact form, so the text is the same on
/// every machine and reads back to the same doubles.
enum SweepCSV {
    /// The header line, with its line end.
    static func headerLine(_ titles: [String]) -> String {
        titles.map(field).joined(separator: ",") + "\n"
    }

    /// Appends the row of point `index` to `bytes`.
    static func appendRow(
        index: Int, inputs: [Double], values: [Double], outcome: SweepEvaluator.Outcome, plan: SweepPlan,
        to bytes: inout [UInt8]
    ) {
        bytes.append(contentsOf: String(index).utf8)
        for (d, dimension) in plan.dimensions.enumerated() {
            bytes.append(comma)
            if dimension.isChoice {
                bytes.append(contentsOf: field(dimension.words[Int(inputs[d])]).utf8)
            } else {
                append(inputs[d], to: &bytes)
            }
        }
        for v in values {
            bytes.append(comma)
            if v.isFinite { append(v, to: &bytes) }
        }
        bytes.append(comma)
        bytes.append(contentsOf: outcome.status.description.utf8)
        bytes.append(comma)
        var first = true
        for (warning, name) in SweepEvaluator.warningNames where outcome.warnings.contains(warning) {
            if !first { bytes.append(UInt8(ascii: ";")) }
            bytes.append(contentsOf: name.utf8)
            first = false
        }
        if !outcome.columnConverged {
            if !first { bytes.append(UInt8(ascii: ";")) }
            bytes.append(contentsOf: "column_css_not_converged".utf8)
        }
        bytes.append(comma)
        if let error = outcome.error { bytes.append(contentsOf: field(error).utf8) }
        bytes.append(UInt8(ascii: "\n"))
    }

    private static let comma = UInt8(ascii: ",")

    private static func append(_ value: Double, to bytes: inout [UInt8]) {
        // Whole numbers without ".0" read better (80, not 80.0) and still read back exactly.
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
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
                        if next == "\"" { current.append("\"") } else {
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
