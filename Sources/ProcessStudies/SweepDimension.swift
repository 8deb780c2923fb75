import ProcessModel
import Reporting

/// One varied parameter of a sweep, read from `--vary`:
///
/// - `key=from:to:steps`: `steps` evenly spaced values from `from` to `to` (a grid axis);
/// - `key=from:to`: the interval, sampled by a Latin hypercube (`--samples N`);
/// - `key=v1,v2,…`: these values (numbers, or the words of a choice such as `sorbent.type`).
///
/// Values may carry a unit convertible to the parameter's (`production.flow=180m3/h:360m3/h:7`); a unit
/// applies to the value it follows. Every value is checked against the parameter's range when parsed.
public struct SweepDimension: Sendable, Hashable {
    /// What the dimension takes.
    public enum Values: Sendable, Hashable {
        /// `steps` values from `from` to `to`, or the whole interval when `steps` is `nil` (sampled).
        case range(from: Double, to: Double, steps: Int?)
        /// Listed numbers, in the parameter's unit.
        case numbers([Double])
        /// Listed words of a choice parameter.
        case words([String])
    }

    public let key: String
    /// The parameter's unit, `nil` for a choice.
    public let unit: String?
    public let values: Values
    /// The option's text as given (`key=…`), kept in shard metadata.
    public let specification: String
    let parameter: ProcessParameter
    let wholeNumbers: Bool

    /// Parses one `--vary` value.
    ///
    /// - Throws: ``StudyError`` naming the problem: no `=`, an unknown key (with suggestions), a note that the
    ///   model does not use, a bad number or unit, a value out of range, steps below 1, a range of a choice,
    ///   or a grid of a whole-number parameter that falls between whole numbers.
    public init(parsing text: String) throws(StudyError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw StudyError(.invalidInput, "--vary \(text): expected key=from:to:steps, key=from:to or key=v1,v2,…")
        }
        let key = String(text[..<equals]).trimmingSpaces
        let spec = String(text[text.index(after: equals)...]).trimmingSpaces
        guard let parameter = ProcessParameterCatalogue.parameter(key) else {
            let keys = ProcessParameterCatalogue.all.map(\.key)
            throw StudyError(
                .unknownKey, "--vary: unknown process parameter \"\(key)\"" + KeySuggestions.hint(for: key, among: keys)
            )
        }
        guard !spec.isEmpty else { throw StudyError(.invalidInput, "--vary \(key)=: no values given") }
        self.key = key
        self.parameter = parameter
        specification = key + "=" + spec
        unit = parameter.unit
        var whole = false
        switch parameter.kind {
        case .informational:
            throw StudyError(.invalidInput, "--vary \(key): a note the model does not use; varying it changes nothing")
        case let .choice(words):
            guard !spec.contains(":") else {
                throw StudyError(
                    .invalidInput, "--vary \(key): takes one of \(words.joined(separator: ", ")); list them: \(key)=a,b"
                )
            }
            var chosen: [String] = []
            for item in spec.split(separator: ",", omittingEmptySubsequences: false).map({ String($0).trimmingSpaces })
            {
                guard let word = words.first(where: { $0.lowercased() == item.lowercased() }) else {
                    throw StudyError(
                        .invalidInput, "--vary \(key): \"\(item)\" is not one of \(words.joined(separator: ", "))")
                }
                chosen.append(word)
            }
            values = .words(chosen)
        case .integer:
            whole = true
            fallthrough
        case .number:
            values = try Self.numeric(spec, parameter: parameter)
        }
        wholeNumbers = whole
        if case let .numbers(list) = values, Set(list).count != list.count {
            throw StudyError(.invalidInput, "--vary \(key): a value is listed twice")
        }
        if case let .words(list) = values, Set(list).count != list.count {
            throw StudyError(.invalidInput, "--vary \(key): a value is listed twice")
        }
        if whole, let count = gridCount {
            for i in 0..<count where gridValue(i) != gridValue(i).rounded() {
                throw StudyError(
                    .invalidInput,
                    "--vary \(specification): value \(gridValue(i)) is not a whole number; choose steps so that "
                        + "(to − from)/(steps − 1) is whole")
            }
        }
    }

    private static func numeric(_ spec: String, parameter: ProcessParameter) throws(StudyError) -> Values {
        func number(_ text: String) throws(StudyError) -> Double {
            do {
                return try parameter.number(from: text)
            } catch {
                throw StudyError(.invalidInput, "--vary: " + error.message)
            }
        }
        let key = parameter.key
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard parts.count == 2 || parts.count == 3 else {
                throw StudyError(.invalidInput, "--vary \(key)=\(spec): expected from:to:steps or from:to")
            }
            let from = try number(parts[0]), to = try number(parts[1])
            guard parts.count == 3 else { return .range(from: from, to: to, steps: nil) }
            guard let steps = Int(parts[2]), steps >= 1 else {
                throw StudyError(
                    .invalidInput, "--vary \(key)=\(spec): steps must be a whole number ≥ 1, not \"\(parts[2])\"")
            }
            guard steps > 1 || from == to else {
                throw StudyError(
                    .invalidInput,
                    "--vary \(key)=\(spec): one step cannot span \(from) to \(to); give \(key)=\(parts[0])")
            }
            guard steps <= 1_000_000 else {
                throw StudyError(.invalidInput, "--vary \(key)=\(spec): more than 1,000,000 steps")
            }
            return .range(from: from, to: to, steps: steps)
        }
        var list: [Double] = []
        for item in spec.split(separator: ",", omittingEmptySubsequences: false) {
            list.append(try number(String(item)))
        }
        return .numbers(list)
    }

    /// How many values the dimension has on a grid; `nil` for an interval that only a sample can cover.
    public var gridCount: Int? {
        switch values {
        case let .range(_, _, steps): return steps
        case let .numbers(list): return list.count
        case let .words(list): return list.count
        }
    }

    /// Whether a value is a word (choice parameter) rather than a number.
    public var isChoice: Bool { if case .words = values { true } else { false } }

    /// The words of a choice, in order.
    public var words: [String] { if case let .words(list) = values { list } else { [] } }

    /// The `i`-th grid value: a number, or the index of a word. Grid values are rounded to 12 significant
    /// digits so that 0.1 steps read 0.3, not 0.30000000000000004.
    public func gridValue(_ i: Int) -> Double {
        switch values {
        case let .range(from, to, steps):
            guard let steps, steps > 1 else { return from }
            let t = Double(i) / Double(steps - 1)
            let v = i == steps - 1 ? to : from + (to - from) * t
            return Double(NumberText.significant(v, 12)) ?? v
        case let .numbers(list): return list[i]
        case .words: return Double(i)
        }
    }

    /// The value at `u` in [0, 1) of the dimension's extent (a Latin hypercube coordinate): a number inside
    /// the interval (whole numbers rounded), or the index of a listed value or word.
    public func sampledValue(_ u: Double) -> Double {
        switch values {
        case let .range(from, to, _):
            let v = from + (to - from) * u
            return wholeNumbers ? v.rounded() : v
        case let .numbers(list): return list[min(Int(u * Double(list.count)), list.count - 1)]
        case let .words(list): return Double(min(Int(u * Double(list.count)), list.count - 1))
        }
    }

    /// The CSV column title: `key [unit]`, or the key of a choice.
    public var columnTitle: String { unit.map { "\(key) [\($0)]" } ?? key }

    public static func == (a: SweepDimension, b: SweepDimension) -> Bool { a.specification == b.specification }
    public func hash(into hasher: inout Hasher) { hasher.combine(specification) }
}
