import Foundation
import Yams
import PlantConfig

/// A scenario: timed events (sensor faults, communication faults, process upsets) that compose.
///
/// ```yaml
/// name: pump-trip
/// description: The production pump trips after 30 minutes and restarts 45 minutes later.
/// duration: 4h            # optional: how long `simulate` runs it by default
/// include: [normal-week]  # optional: other scenarios whose events are added
/// events:
///   - {at: 30m, for: 45m, kind: pump-trip}
///   - {at: 2h, kind: stuck, tag: PW1.TT101, for: 20m}
///   - {at: 1h, for: 10m, kind: no-response, device: wellhead-plc}
/// ```
/// Times are `s`, `m`, `h` or `d` suffixed numbers, or plain seconds. Events without `for` last to the end.
public struct Scenario: Sendable, Hashable {
    public var name: String
    public var description: String
    public var duration: Double?
    public var events: [ScenarioEvent]

    public init(name: String, description: String = "", duration: Double? = nil, events: [ScenarioEvent] = []) {
        self.name = name
        self.description = description
        self.duration = duration
        self.events = events
    }

    /// The scenario with no events.
    public static let none = Scenario(name: "none", description: "Steady operation, no events")
}

/// One timed event of a scenario.
public struct ScenarioEvent: Sendable, Hashable {
    /// Start, simulated seconds from the start of the run.
    public var at: Double
    /// How long it lasts, s; `nil` to the end of the run.
    public var duration: Double?
    public var kind: Kind

    /// What a sensor fault acts on: one tag by name, or every tag bound to a signal (so that a scenario
    /// works on every plant description).
    public enum SensorTarget: Sendable, Hashable, CustomStringConvertible {
        case tag(String)
        case signal(String)
        public var description: String {
            switch self {
            case .tag(let name): name
            case .signal(let name): "signal \(name)"
            }
        }
    }

    /// What a communication fault acts on: a device by name, or the device serving a signal's tag.
    public enum DeviceTarget: Sendable, Hashable, CustomStringConvertible {
        case device(String)
        case servingSignal(String)
        public var description: String {
            switch self {
            case .device(let name): name
            case .servingSignal(let name): "the device serving \(name)"
            }
        }
    }

    public enum Kind: Sendable, Hashable {
        // Sensor faults, on one tag.
        case stuck(tag: SensorTarget)
        case drift(tag: SensorTarget, perHour: Double)
        case noiseBurst(tag: SensorTarget, factor: Double)
        case spike(tag: SensorTarget, magnitude: Double)
        case dropout(tag: SensorTarget)
        // Communication faults, on one device.
        case noResponse(device: DeviceTarget)
        case lateResponse(device: DeviceTarget, delay: Double)
        case exception(device: DeviceTarget, table: String?, range: ClosedRange<Int>, code: UInt8)
        case dropConnections(device: DeviceTarget)
        case restart(device: DeviceTarget)
        // Process upsets.
        case pumpTrip
        case liStep(factor: Double)
        case brineTemperature(delta: Double)
        case sorbentFouling(factor: Double)
        case capacityFade(perCycle: Double)
        case scaling(barPerHour: Double)
        case eluentShortage(availability: Double)
        case refineryTrip
    }

    public init(at: Double, duration: Double? = nil, kind: Kind) {
        self.at = at
        self.duration = duration
        self.kind = kind
    }

    /// Whether the event acts at simulated time `t`. A zero-length event acts for one step from `at`.
    public func isActive(at t: Double, step: Double) -> Bool {
        guard t >= at else { return false }
        guard let duration else { return true }
        return t < at + max(duration, step)
    }

    /// The tag a sensor fault acts on, the device a communication fault acts on.
    public var sensorTarget: SensorTarget? {
        switch kind {
        case .stuck(let tag), .drift(let tag, _), .noiseBurst(let tag, _), .spike(let tag, _), .dropout(let tag): tag
        default: nil
        }
    }

    public var deviceTarget: DeviceTarget? {
        switch kind {
        case .noResponse(let device), .lateResponse(let device, _), .exception(let device, _, _, _),
             .dropConnections(let device), .restart(let device): device
        default: nil
        }
    }

    /// A short label for logs and recordings.
    public var label: String {
        switch kind {
        case .stuck(let tag): "stuck \(tag)"
        case .drift(let tag, let rate): "drift \(tag) \(rate)/h"
        case .noiseBurst(let tag, let factor): "noise burst \(tag) ×\(factor)"
        case .spike(let tag, let magnitude): "spike \(tag) \(magnitude)"
        case .dropout(let tag): "dropout \(tag)"
        case .noResponse(let device): "no response from \(device)"
        case .lateResponse(let device, let delay): "late responses from \(device) (\(delay) s)"
        case .exception(let device, let table, let range, let code):
            "exception \(code) from \(device) \(table ?? "all tables") \(range.lowerBound)-\(range.upperBound)"
        case .dropConnections(let device): "\(device) drops connections"
        case .restart(let device): "\(device) restarts"
        case .pumpTrip: "production pump trip"
        case .liStep(let factor): "brine Li ×\(factor)"
        case .brineTemperature(let delta): "brine temperature \(delta > 0 ? "+" : "")\(delta) K"
        case .sorbentFouling(let factor): "sorbent fouling, capacity ×\(factor)"
        case .capacityFade(let perCycle): "capacity fade \(perCycle) per cycle"
        case .scaling(let rate): "column scaling +\(rate) bar/h"
        case .eluentShortage(let availability): "eluent water at \(Int(availability * 100)) %"
        case .refineryTrip: "refinery trip"
        }
    }
}

/// A scenario file that cannot be used, with what is wrong and where.
public struct ScenarioError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

extension Scenario {
    /// The scenarios that ship with Geolith (`Simulator/Scenarios/*.yaml`), by name.
    public static var shippedNames: [String] { ShippedScenarios.all.keys.sorted() }

    /// Loads a shipped scenario by name, or a scenario file by path; `a+b` runs both together (their events
    /// merged, the longer duration).
    public static func load(_ nameOrPath: String) throws -> Scenario {
        if ShippedScenarios.all[nameOrPath] == nil, !FileManager.default.fileExists(atPath: nameOrPath), nameOrPath.contains("+") {
            let parts = try nameOrPath.split(separator: "+").map { try load(String($0), including: [], budget: IncludeBudget()) }
            var combined = Scenario(name: nameOrPath, description: parts.map(\.description).joined(separator: " "))
            combined.duration = parts.compactMap(\.duration).max()
            combined.events = parts.flatMap(\.events).sorted { $0.at < $1.at }
            return combined
        }
        return try load(nameOrPath, including: [], budget: IncludeBudget())
    }

    /// Files read for one scenario, its includes counted each time they are read.
    private final class IncludeBudget {
        var files = 0
    }

    private static func load(_ nameOrPath: String, including seen: Set<String>, budget: IncludeBudget) throws -> Scenario {
        budget.files += 1
        guard budget.files <= maximumIncludedFiles else {
            throw ScenarioError(file: nameOrPath, message: "more than \(maximumIncludedFiles) scenario files read through includes")
        }
        guard !seen.contains(nameOrPath) else {
            throw ScenarioError(file: nameOrPath, message: "includes itself (through \(seen.sorted().joined(separator: ", ")))")
        }
        let text: String
        if let shipped = ShippedScenarios.all[nameOrPath] {
            text = shipped
        } else {
            do { text = try String(contentsOfFile: nameOrPath, encoding: .utf8) } catch {
                throw ScenarioError(file: nameOrPath, message: "no such scenario (shipped: \(shippedNames.joined(separator: ", "))) and no readable file")
            }
        }
        return try parse(text, file: nameOrPath, seen: seen.union([nameOrPath]), budget: budget)
    }

    /// Parses scenario YAML.
    public static func parse(_ text: String, file: String = "<scenario>") throws -> Scenario {
        try parse(text, file: file, seen: [file], budget: IncludeBudget())
    }

    private static func parse(_ text: String, file: String, seen: Set<String>, budget: IncludeBudget) throws -> Scenario {
        do { try YAMLExpansion.check(text, file: file) } catch {
            throw ScenarioError(file: file, message: error.issues.first?.message ?? "\(error)")
        }
        try checkKeys(text, file: file)
        let raw: RawScenario
        do { raw = try YAMLDecoder().decode(RawScenario.self, from: text) } catch let error as DecodingError {
            throw ScenarioError(file: file, message: describe(error))
        } catch {
            throw ScenarioError(file: file, message: "\(error)")
        }
        var scenario = Scenario(name: raw.name, description: raw.description ?? "")
        if let duration = raw.duration { scenario.duration = try parseDuration(duration, file: file, key: "duration") }
        // Includes nest and repeat: bounded in depth and in the events they add, so a file of a few lines that
        // includes another ten times, which includes another ten times…, is refused rather than expanded.
        guard seen.count <= maximumIncludeDepth else {
            throw ScenarioError(file: file, message: "includes nest more than \(maximumIncludeDepth) deep")
        }
        for included in raw.include ?? [] {
            scenario.events += try load(included, including: seen, budget: budget).events
            guard scenario.events.count <= maximumEvents else {
                throw ScenarioError(file: file, message: "more than \(maximumEvents) events with its includes")
            }
        }
        for (index, event) in (raw.events ?? []).enumerated() {
            scenario.events.append(try event.resolve(file: file, index: index))
        }
        guard scenario.events.count <= maximumEvents else {
            throw ScenarioError(file: file, message: "more than \(maximumEvents) events with its includes")
        }
        scenario.events.sort { $0.at < $1.at }
        return scenario
    }

    static let scenarioKeys: Set<String> = ["name", "description", "duration", "include", "events"]
    static let eventKeys: Set<String> = ["at", "for", "kind", "tag", "signal", "device", "value", "table", "range", "code"]

    /// Rejects keys the format does not know, so that a typo is not silently ignored.
    private static func checkKeys(_ text: String, file: String) throws {
        let top: Any?
        do { top = try Yams.load(yaml: text) } catch {
            throw ScenarioError(file: file, message: "not YAML: \(error)")
        }
        guard let map = top as? [String: Any] else {
            throw ScenarioError(file: file, message: "a scenario is a mapping with 'name' and 'events'")
        }
        if let unknown = Set(map.keys).subtracting(scenarioKeys).sorted().first {
            throw ScenarioError(file: file, message: "unknown key '\(unknown)' (known: \(scenarioKeys.sorted().joined(separator: ", ")))")
        }
        for (index, event) in ((map["events"] as? [Any]) ?? []).enumerated() {
            guard let event = event as? [String: Any] else {
                throw ScenarioError(file: file, message: "events[\(index)]: an event is a mapping")
            }
            if let unknown = Set(event.keys).subtracting(eventKeys).sorted().first {
                throw ScenarioError(file: file, message: "events[\(index)]: unknown key '\(unknown)' (known: \(eventKeys.sorted().joined(separator: ", ")))")
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The longest time a scenario may name, s (about 31 years).
    static let maximumDuration = 1e9
    /// The most events a scenario may hold with its includes, and how deep includes may nest.
    static let maximumEvents = 100_000
    static let maximumIncludeDepth = 8
    /// The most files read through includes for one scenario (each time a file is included counts).
    static let maximumIncludedFiles = 1_000

    /// Parses `90`, `90s`, `15m`, `2h`, `1d`, `1.5h` into seconds.
    static func parseDuration(_ text: String, file: String, key: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(trimmed)
        var factor = 1.0
        if let last = trimmed.last, let unit = units[last] {
            number = trimmed.dropLast()
            factor = unit
        }
        guard let value = Double(number), value.isFinite, value >= 0 else {
            throw ScenarioError(file: file, message: "\(key): '\(text)' is not a duration (e.g. 90s, 15m, 2h, 1d)")
        }
        // Bounded before anyone multiplies it into milliseconds (a recording's event times are Int64 ms).
        guard value * factor <= maximumDuration else {
            throw ScenarioError(file: file, message: "\(key): '\(text)' is longer than \(Int(maximumDuration / 86_400 / 365)) years")
        }
        return value * factor
    }
}

/// The file layout of a scenario, decoded strictly and then resolved into typed events.
private struct RawScenario: Decodable {
    var name: String
    var description: String?
    var duration: String?
    var include: [String]?
    var events: [RawEvent]?
}

private struct RawEvent: Decodable {
    var at: String
    var `for`: String?
    var kind: String
    var tag: String?
    var signal: String?
    var device: String?
    var value: Double?
    var table: String?
    var range: [Int]?
    var code: Int?

    func resolve(file: String, index: Int) throws -> ScenarioEvent {
        let where_ = "events[\(index)]"
        func fail(_ message: String) -> ScenarioError { ScenarioError(file: file, message: "\(where_): \(message)") }
        func needTag() throws -> ScenarioEvent.SensorTarget {
            switch (tag, signal) {
            case (let tag?, nil) where !tag.isEmpty: return .tag(tag)
            case (nil, let signal?) where !signal.isEmpty: return .signal(signal)
            default: throw fail("'\(kind)' needs either a 'tag' or a 'signal'")
            }
        }
        func needDevice() throws -> ScenarioEvent.DeviceTarget {
            switch (device, signal) {
            case (let device?, nil) where !device.isEmpty: return .device(device)
            case (nil, let signal?) where !signal.isEmpty: return .servingSignal(signal)
            default: throw fail("'\(kind)' needs either a 'device' or a 'signal' (the device serving it)")
            }
        }
        func needValue(_ meaning: String, in range: ClosedRange<Double>? = nil, default fallback: Double? = nil) throws -> Double {
            guard let v = value ?? fallback else { throw fail("'\(kind)' needs a 'value' (\(meaning))") }
            guard v.isFinite, abs(v) <= 1e12 else { throw fail("value \(v) is not a finite number within ±1e12 (\(meaning))") }
            if let range, !range.contains(v) { throw fail("value \(v) outside \(range.lowerBound)...\(range.upperBound) (\(meaning))") }
            return v
        }
        let start = try Scenario.parseDuration(at, file: file, key: "\(where_).at")
        let duration = try `for`.map { try Scenario.parseDuration($0, file: file, key: "\(where_).for") }
        let resolved: ScenarioEvent.Kind
        switch self.kind {
        case "stuck": resolved = .stuck(tag: try needTag())
        case "drift": resolved = .drift(tag: try needTag(), perHour: try needValue("engineering units per hour"))
        case "noise-burst": resolved = .noiseBurst(tag: try needTag(), factor: try needValue("noise multiplier", in: 0...1e6, default: 10))
        case "spike": resolved = .spike(tag: try needTag(), magnitude: try needValue("added engineering units"))
        case "dropout": resolved = .dropout(tag: try needTag())
        case "no-response": resolved = .noResponse(device: try needDevice())
        case "late-response": resolved = .lateResponse(device: try needDevice(), delay: try needValue("delay in seconds", in: 0...60, default: 2))
        case "exception":
            guard let range, range.count == 2, range[0] >= 0, range[0] <= range[1], range[1] <= 65535 else {
                throw fail("'exception' needs 'range: [first, last]' within 0...65535")
            }
            let code = code ?? 2
            guard (1...11).contains(code) else { throw fail("exception code \(code) outside 1...11") }
            if let table, !["coil", "discrete_input", "holding", "input"].contains(table) {
                throw fail("unknown table '\(table)' (coil, discrete_input, holding, input)")
            }
            resolved = .exception(device: try needDevice(), table: table, range: range[0]...range[1], code: UInt8(code))
        case "drop-connections": resolved = .dropConnections(device: try needDevice())
        case "restart": resolved = .restart(device: try needDevice())
        case "pump-trip": resolved = .pumpTrip
        case "li-step": resolved = .liStep(factor: try needValue("factor on brine Li", in: 0...10))
        case "brine-temperature": resolved = .brineTemperature(delta: try needValue("kelvin added", in: -150...100))
        case "sorbent-fouling": resolved = .sorbentFouling(factor: try needValue("capacity factor", in: 0...1))
        case "capacity-fade": resolved = .capacityFade(perCycle: try needValue("fade per cycle", in: 0...0.5))
        case "scaling": resolved = .scaling(barPerHour: try needValue("bar per hour", in: 0...100))
        case "eluent-shortage": resolved = .eluentShortage(availability: try needValue("fraction available", in: 0...1))
        case "refinery-trip": resolved = .refineryTrip
        default:
            throw fail("unknown kind '\(self.kind)' (stuck, drift, noise-burst, spike, dropout, no-response, late-response, "
                       + "exception, drop-connections, restart, pump-trip, li-step, brine-temperature, sorbent-fouling, "
                       + "capacity-fade, scaling, eluent-shortage, refinery-trip)")
        }
        return ScenarioEvent(at: start, duration: duration, kind: resolved)
    }
}
