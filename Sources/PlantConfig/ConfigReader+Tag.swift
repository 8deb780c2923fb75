import ProcessModel
import RegisterVocabulary

extension ConfigReader {
    static let tagKeys = [
        "name", "description", "table", "address", "type", "word_order", "length", "scale", "offset", "unit",
        "range", "sentinel", "alarms", "signal", "scan_group", "deadband", "writable",
    ]
    static let alarmKeys = [
        "low_low", "low", "high", "high_high", "rate_of_change", "deadband", "on_delay", "off_delay", "priority",
    ]

    func tag(_ node: ConfigNode, _ path: String, groups: [String], maxRegisters: Int) -> Tag {
        let dimensionless = EngineeringUnit.named("1")!
        let placeholder = Tag(
            name: "", table: .holding, address: 0, dataType: .uint16, unit: dimensionless, scanGroup: "",
            location: node.location)
        guard let fields = mapping(node, path, keys: Self.tagKeys) else { return placeholder }
        let name = fields.get("name", required: true, string) ?? ""
        let table =
            fields.get("table", required: true) {
                choice($0, $1, RegisterTable.allCases.map { ($0.rawValue, $0) }, what: "register table")
            } ?? .holding
        let dataType =
            fields.get("type", required: true) {
                choice(
                    $0, $1, RegisterDataType.allCases.map { ($0.rawValue, $0) }, what: "data type",
                    kind: .unknownDataType)
            } ?? .uint16
        let wordOrder =
            fields.get("word_order") {
                choice(
                    $0, $1, WordOrder.allCases.map { ($0.rawValue, $0) }, what: "word order", kind: .unknownWordOrder)
            } ?? .abcd
        let length = fields.get("length", int) ?? 0
        let address = fields.get("address", required: true, int)
        let unit =
            fields.get("unit") { node, path -> EngineeringUnit? in
                guard let symbol = string(node, path) else { return nil }
                guard let unit = EngineeringUnit.named(symbol) else {
                    let hint = suggestion(for: symbol, in: EngineeringUnit.all.map(\.symbol))
                    report(node.location, path, "unknown unit \"\(symbol.prefix(40))\"\(hint)", .unknownUnit)
                    return nil
                }
                if let meaning = EngineeringUnit.readAs[symbol] { note(node.location, path, meaning) }
                return unit
            } ?? dimensionless

        // Shape: bit tables hold bools; strings need a length; the width must fit the device and the table.
        if table.isBitTable, fields.node("type") != nil, dataType != .bool {
            report(
                fields.node("type")!.location, fields.path("type"),
                "a \(table.rawValue) holds single bits: use type bool", .invalidValue)
        }
        // A value reported as invalid is never used: the tag carries a harmless placeholder instead, so the
        // checks that follow (overlaps, read plans) never do arithmetic on it (a string length of
        // 9223372036854775807 once overflowed `address + count`).
        var lengthIsValid = true
        if dataType == .string {
            lengthIsValid = (1...maxRegisters).contains(length)
            if fields.node("length") == nil {
                report(fields.location, path, "missing required key \"length\" for a string tag", .missingKey)
            } else if !(1...maxRegisters).contains(length) {
                report(
                    fields.node("length")!.location, fields.path("length"),
                    "string length \(length) must be 1...\(maxRegisters) registers", .invalidValue)
            }
        } else if let node = fields.node("length") {
            report(node.location, fields.path("length"), "length applies to string tags only", .invalidValue)
        }
        var addressIsValid = true
        if let address, let node = fields.node("address") {
            let count = max(Tag.registerCount(of: dataType, length: lengthIsValid ? length : 1), 1)
            if address < 0 || address > 65535 {
                addressIsValid = false
                report(
                    node.location, fields.path("address"), "address \(address) is outside 0...65535",
                    .addressOutOfRange)
            } else if count > 65536 - address {
                addressIsValid = false
                report(
                    node.location, fields.path("address"),
                    "\(dataType.rawValue) at \(address) needs \(count) registers and runs past 65535",
                    .addressOutOfRange)
            }
        }

        // A tag is read whole in one request: wider than the device's request limit, no read plan can hold it
        // (the planner's precondition once stopped `plan` and the daemon on such a file; found by the fuzzer).
        let width = Tag.registerCount(of: dataType, length: lengthIsValid ? length : 1)
        if !table.isBitTable, width > maxRegisters, lengthIsValid {
            report(
                fields.node("type")?.location ?? fields.location, fields.path("type"),
                "\(dataType.rawValue) needs \(width) registers but the device reads at most \(maxRegisters) per request "
                    + "(max_registers_per_request)", .invalidValue)
        }
        var scale = fields.get("scale", double) ?? 1
        if scale == 0 {
            scale = 1
            report(
                fields.node("scale")!.location, fields.path("scale"), "scale 0 would hide every value", .invalidValue)
        }
        let range = fields.get("range") { node, path in self.range(node, path) }
        let alarms = fields.get("alarms") { node, path in self.alarms(node, path) }
        let signal = fields.get("signal") { node, path -> String? in
            guard let name = string(node, path) else { return nil }
            guard let definition = SignalCatalogue.definition(for: name) else {
                let names = SignalCatalogue.all.map(\.name)
                report(
                    node.location, path, "unknown signal \"\(name.prefix(60))\"\(suggestion(for: name, in: names))",
                    .unknownSignal)
                return nil
            }
            if fields.node("unit") != nil, unit.dimension != definition.dimension {
                report(
                    fields.node("unit")!.location, fields.path("unit"),
                    "unit \(unit.symbol) is a \(unit.dimension) but signal \(name) is a \(definition.dimension)"
                        + " (e.g. \(definition.displayUnit))", .unitMismatch)
            }
            return name
        }
        let scanGroup =
            fields.get("scan_group") { node, path -> String? in
                guard let name = string(node, path) else { return nil }
                if !groups.contains(name) {
                    report(
                        node.location, path,
                        "unknown scan group \"\(name.prefix(40))\"\(suggestion(for: name, in: groups))", .invalidValue)
                }
                return name
            } ?? groups.first ?? ""
        let deadband = fields.get("deadband", double)
        if let deadband, deadband < 0 {
            report(
                fields.node("deadband")!.location, fields.path("deadband"), "deadband cannot be negative",
                .invalidValue)
        }
        return Tag(
            name: name, description: fields.get("description", string) ?? "", table: table,
            address: addressIsValid ? address ?? 0 : 0, dataType: dataType, wordOrder: wordOrder,
            length: dataType == .string ? (lengthIsValid ? length : 1) : 0, scale: scale,
            offset: fields.get("offset", double) ?? 0, unit: unit, range: range,
            sentinel: fields.get("sentinel", double), alarms: alarms, signal: signal, scanGroup: scanGroup,
            deadband: deadband, writable: fields.get("writable", bool) ?? false, location: node.location)
    }

    /// `[min, max]` with min < max.
    private func range(_ node: ConfigNode, _ path: String) -> ClosedRange<Double>? {
        guard let items = list(node, path) else { return nil }
        guard items.count == 2 else {
            report(node.location, path, "expected [min, max], found \(items.count) values", .wrongType)
            return nil
        }
        guard let low = double(items[0], "\(path)[0]"), let high = double(items[1], "\(path)[1]") else { return nil }
        guard low < high else {
            report(node.location, path, "range minimum \(low) must be below maximum \(high)", .invalidRange)
            return nil
        }
        return low...high
    }

    func alarms(_ node: ConfigNode, _ path: String) -> AlarmLimits? {
        guard let fields = mapping(node, path, keys: Self.alarmKeys) else { return nil }
        var limits = AlarmLimits()
        limits.lowLow = fields.get("low_low", double)
        limits.low = fields.get("low", double)
        limits.high = fields.get("high", double)
        limits.highHigh = fields.get("high_high", double)
        // Present limits must be strictly ordered LL < L < H < HH.
        let present: [(String, Double)] = [
            ("low_low", limits.lowLow), ("low", limits.low), ("high", limits.high), ("high_high", limits.highHigh),
        ].compactMap { key, value in value.map { (key, $0) } }
        for (previous, next) in zip(present, present.dropFirst()) where !(previous.1 < next.1) {
            report(
                fields.node(next.0)!.location, fields.path(next.0),
                "alarm limit \(next.0) \(next.1) must be above \(previous.0) \(previous.1)", .alarmOrder)
        }
        limits.rateOfChange = fields.get("rate_of_change", double)
        if let rate = limits.rateOfChange, rate <= 0 {
            report(
                fields.node("rate_of_change")!.location, fields.path("rate_of_change"),
                "rate of change per minute must be above 0", .invalidValue)
        }
        limits.deadband = fields.get("deadband", double) ?? 0
        for key in ["on_delay", "off_delay"] {
            guard let delay = fields.get(key, duration) else { continue }
            if delay < .zero || delay > .seconds(3600) {
                report(fields.node(key)!.location, fields.path(key), "delay must be within 0...1h", .invalidTimeout)
            }
            if key == "on_delay" { limits.onDelay = delay } else { limits.offDelay = delay }
        }
        limits.priority = fields.get("priority", int) ?? 500
        if !(1...1000).contains(limits.priority) {
            report(
                fields.node("priority")!.location, fields.path("priority"), "priority must be 1...1000",
                .invalidValue)
        }
        return limits
    }
}
