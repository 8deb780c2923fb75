/// One named parameter of the process model: its key path in plant descriptions and on the command line
/// (`dle.cycle_bed_volumes.load`), its unit, valid range, meaning and source, and how to read and set it.
public struct ProcessParameter: Sendable {
    /// What values the parameter takes.
    public enum Kind: Sendable {
        /// A real number in `unit`, inside `range`.
        case number(unit: String, range: ClosedRange<Double>)
        /// A whole number inside `range`.
        case integer(range: ClosedRange<Int>)
        /// One of the listed words.
        case choice([String])
        /// A note about the plant the model does not use (kept so files can say it; checked for type).
        case informational

        var isNote: Bool {
            if case .informational = self { return true }
            return false
        }
    }

    /// What uses a parameter.
    public enum Use: Sendable, Hashable {
        /// The steady-state flowsheet and the simulator alike.
        case everywhere
        /// Only the DLE recovery of these models reads it (the isotherm figures of the estimate, the dynamic
        /// column); under another DLE model it changes no production figure.
        case dleModels([SorptionStage.Model])
        /// The plant's dynamics (the simulator, the monitor's soft sensors): a steady state has no use for it.
        case dynamics
        /// A note about the plant that nothing uses.
        case note
    }

    public let key: String
    public let kind: Kind
    public let summary: String
    /// Where the default comes from: a source listed in docs/sources.md, or "assumed" with the reason.
    public let source: String
    public let use: Use
    let read: @Sendable (FlowsheetParameters) -> String?
    let write: @Sendable (inout FlowsheetParameters, Double, String) -> Void

    init(
        key: String, kind: Kind, summary: String, source: String, use: Use = .everywhere,
        read: @escaping @Sendable (FlowsheetParameters) -> String?,
        write: @escaping @Sendable (inout FlowsheetParameters, Double, String) -> Void
    ) {
        self.key = key
        self.kind = kind
        self.summary = summary
        self.source = source
        self.use = kind.isNote ? .note : use
        self.read = read
        self.write = write
    }

    /// Why setting this parameter changes no production figure of a steady-state estimate whose DLE model is
    /// one of `models`, or `nil` when it changes one under some of them: one sentence naming the parameter and
    /// what would use it.
    public func unusedNotice(underDLEModels models: [SorptionStage.Model]) -> String? {
        let active = models.map(\.rawValue).joined(separator: ", ")
        switch use {
        case .everywhere:
            return nil
        case let .dleModels(users):
            guard !models.contains(where: users.contains) else { return nil }
            let names = users.map { "dle.model=\($0.rawValue)" }.joined(separator: " or ")
            return "\(key) has no effect on the recovery under dle.model \(active): \(names) uses it"
        case .dynamics:
            return "\(key) has no effect on a steady-state estimate: the simulator and the monitor's soft sensors "
                + "use it"
        case .note:
            return "\(key) is a note about the plant: no model uses it"
        }
    }

    /// The unit numbers are given in, or `nil` for choices and notes.
    public var unit: String? {
        if case let .number(unit, _) = kind { return unit }
        if case .integer = kind { return "1" }
        return nil
    }

    /// The parameter's current value in `p`, as text in its unit.
    public func value(in p: FlowsheetParameters) -> String? { read(p) }

    /// Sets the parameter from text: a number with an optional unit (`80`, `80 L/s`, `288m3/h`) or a choice.
    ///
    /// - Throws: ``ProcessParameterError`` when the text is not a number, the unit is not convertible to
    ///   the parameter's unit, the value is out of range, or the word is not one of the choices.
    public func set(_ text: String, in p: inout FlowsheetParameters) throws(ProcessParameterError) {
        let trimmed = text.trimmingSpaces
        switch kind {
        case .informational:
            return
        case let .choice(words):
            guard let word = words.first(where: { $0.lowercased() == trimmed.lowercased() }) else {
                throw .init(key: key, message: "\(key): \"\(trimmed)\" is not one of \(words.joined(separator: ", "))")
            }
            write(&p, .nan, word)
        case .integer, .number:
            write(&p, try number(from: trimmed), trimmed)
        }
    }

    /// The number `text` gives (`80`, `80 L/s`, `288m3/h`; a whole number for integer parameters), converted
    /// to the parameter's unit and checked against its range.
    ///
    /// - Throws: ``ProcessParameterError`` for a choice or a note, a bad number or unit, or a value out of range.
    public func number(from text: String) throws(ProcessParameterError) -> Double {
        let trimmed = text.trimmingSpaces
        switch kind {
        case let .number(unit, _):
            let value = try Self.parse(trimmed, into: unit, key: key)
            try check(value)
            return value
        case .integer:
            guard let value = Int(trimmed) else {
                throw .init(key: key, message: "\(key): \"\(trimmed)\" is not a whole number")
            }
            try check(Double(value))
            return Double(value)
        case let .choice(words):
            throw .init(key: key, message: "\(key) takes one of \(words.joined(separator: ", ")), not a number")
        case .informational:
            throw .init(key: key, message: "\(key) is a note the model does not use")
        }
    }

    /// Sets a number or whole-number parameter to `value`, in its unit, checked against its range. A sweep
    /// sets its points this way, without text.
    ///
    /// - Throws: ``ProcessParameterError`` for a value out of range, a fraction for a whole-number parameter, or a
    ///   parameter that is not a number.
    public func set(_ value: Double, in p: inout FlowsheetParameters) throws(ProcessParameterError) {
        switch kind {
        case .number, .integer:
            try check(value)
            write(&p, value, "")
        case .choice, .informational:
            _ = try number(from: "")
        }
    }

    /// Throws unless `value` is finite, inside the range, and whole for integer parameters; a percentage given
    /// for a fraction, or a fraction for hours per year, is refused with what to write instead.
    private func check(_ value: Double) throws(ProcessParameterError) {
        switch kind {
        case let .number(unit, range):
            let shown = unit == "1" ? "" : " \(unit)"
            guard value.isFinite, range.contains(value) else {
                var message = "\(key) = \(Self.text(value))\(shown) is outside "
                    + "\(Self.text(range.lowerBound))...\(Self.text(range.upperBound))\(shown)"
                if unit == "1", range.upperBound == 1, value > 1, value <= 100 {
                    message += " (a fraction: \(Self.text(value)) % is \(Self.text(value / 100)), or write \(Self.text(value))%)"
                }
                throw .init(key: key, message: message)
            }
            if Self.isHoursPerYear(key: key, unit: unit), value > 0, value <= 1 {
                throw .init(key: key, message: "\(key) = \(Self.text(value)) h a year looks like a fraction: for "
                    + "\(Self.text(value * 100)) % of the year write \(Self.text(value * 100))% "
                    + "(\(Self.text((value * Self.hoursPerYear).rounded())) h)")
            }
        case let .integer(range):
            guard value.isFinite, value == value.rounded() else {
                throw .init(key: key, message: "\(key): \(value) is not a whole number")
            }
            guard Double(range.lowerBound) <= value, value <= Double(range.upperBound) else {
                // `value` is whole and finite but may be far beyond Int: printed as a Double then (Int(1e300) traps).
                let text = abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
                throw .init(key: key, message: "\(key) = \(text) is outside \(range.lowerBound)...\(range.upperBound)")
            }
        case .choice, .informational:
            break
        }
    }

    /// Reads `number [unit]` and converts it to `unit`.
    static func parse(_ text: String, into unit: String, key: String) throws(ProcessParameterError) -> Double {
        let numberChars = Set("0123456789.+-eE")
        var split = text.startIndex
        while split < text.endIndex, numberChars.contains(text[split]) {
            // Stop before a unit that starts with "e"/"E" only when a digit does not follow it.
            if text[split] == "e" || text[split] == "E" {
                let next = text.index(after: split)
                guard next < text.endIndex, "0123456789+-".contains(text[next]) else { break }
            }
            split = text.index(after: split)
        }
        guard let value = Double(text[..<split]) else {
            throw .init(key: key, message: "\(key): \"\(text)\" is not a number")
        }
        let given = String(text[split...]).trimmingSpaces
        if given.isEmpty || given == unit { return value }
        // Percentages: of one for a fraction (`90%` = 0.9, divided exactly), of a year for hours per year.
        if given == "%" || given == "percent" {
            if unit == "1" { return value / 100 }
            if isHoursPerYear(key: key, unit: unit) { return value / 100 * hoursPerYear }
        }
        guard let from = EngineeringUnit.named(given), let to = EngineeringUnit.named(unit),
            from.dimension == to.dimension
        else {
            throw .init(key: key, message: "\(key): unit \"\(given)\" cannot be converted to \(unit)")
        }
        return to.fromSI(from.toSI(value))
    }
}

extension ProcessParameter {
    /// Hours in a (non-leap) year: what a percentage of an hours-per-year parameter is a share of.
    static let hoursPerYear = 8760.0

    static func isHoursPerYear(key: String, unit: String) -> Bool { unit == "h" && key.hasSuffix("hours_per_year") }

    /// A number as people write it: whole numbers without a fraction, others in their shortest form.
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

/// A process parameter that does not exist or got a bad value.
public struct ProcessParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var message: String
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
    public var description: String { message }
}

extension String {
    /// The text without leading and trailing white space (no Foundation); shared with the package's studies.
    package var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
