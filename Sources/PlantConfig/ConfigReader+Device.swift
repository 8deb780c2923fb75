import ProcessModel
import RegisterVocabulary

extension ConfigReader {
    static let deviceKeys = [
        "name", "description", "endpoint", "unit_id", "timeouts", "max_registers_per_request",
        "max_bits_per_request", "max_gap", "close_after_poll", "retries", "down_delay", "any_unit", "scan_groups", "tags",
    ]
    /// Longest allowed timeout: a device that needs more is broken.
    static let maxTimeout = Duration.seconds(60)
    /// Scan periods allowed: 10 ms (libmodbus does ≈ 30k requests/s on loopback, docs/sources.md §5.3, but
    /// field devices do not answer faster than a few ms) up to one day.
    static let scanPeriods = Duration.milliseconds(10)...Duration.seconds(86_400)

    func device(_ node: ConfigNode, _ path: String) -> Device {
        let location = node.location
        let placeholderEndpoint = Endpoint.tcp(host: "", port: 0)
        guard let fields = mapping(node, path, keys: Self.deviceKeys) else {
            return Device(
                name: "", description: "", endpoint: placeholderEndpoint, unitID: 0, scanGroups: [],
                tags: [], location: location)
        }
        let endpoint = fields.get("endpoint", required: true, endpoint)
        var unitID = fields.get("unit_id", int) ?? 1
        // Modbus over a serial line addresses devices 1...247 (0 is broadcast, which no device answers); Modbus TCP
        // takes any byte, and 255 (0xFF) or 0 address a device reached directly (docs/sources.md §5.2).
        let unitIDs = endpoint.map { if case .rtu = $0 { 1...247 } else { 0...255 } } ?? 0...255
        if let node = fields.node("unit_id"), !unitIDs.contains(unitID) {
            let transport = unitIDs.lowerBound == 1 ? "RTU" : "TCP"
            let why = unitIDs.lowerBound == 1 && unitID == 0 ? " (0 is broadcast: no device answers it)" : ""
            report(
                node.location, fields.path("unit_id"),
                "unit id \(unitID) is outside \(unitIDs.lowerBound)...\(unitIDs.upperBound) for \(transport)\(why)", .invalidUnitID)
            unitID = 1   // reported, never used
        }
        let maxRegisters = bounded(fields, "max_registers_per_request", 1...125, default: 125)
        let maxBits = bounded(fields, "max_bits_per_request", 1...2000, default: 2000)
        let maxGap = bounded(fields, "max_gap", 0...124, default: 0)
        let retries = bounded(fields, "retries", 0...10, default: 1)
        var downDelay = fields.get("down_delay", duration)
        if let delay = downDelay, delay < .zero || delay > .seconds(3600) {
            report(fields.node("down_delay")!.location, fields.path("down_delay"), "down_delay must be within 0...1h",
                   .invalidTimeout)
            downDelay = nil   // reported, never used
        }
        var groups =
            fields.get("scan_groups") { node, path in
                list(node, path)?.enumerated().compactMap { scanGroup($1, "\(path)[\($0)]") }
            } ?? []
        if fields.node("scan_groups") == nil { groups = [ScanGroup(name: "default", period: .seconds(1))] }
        var seenGroups: Set<String> = []
        if case let .sequence(items, _)? = fields.node("scan_groups") {
            for (index, item) in items.enumerated() {
                if let nameNode = item["name"], let name = nameNode.string, !seenGroups.insert(name).inserted {
                    report(
                        nameNode.location, "\(path).scan_groups[\(index)].name",
                        "duplicate scan group name \"\(name)\"", .duplicateName)
                }
            }
        }
        let tags =
            fields.get("tags", required: true) { node, tagsPath in
                list(node, tagsPath)?.enumerated().map { index, item in
                    tag(item, "\(tagsPath)[\(index)]", groups: groups.map(\.name), maxRegisters: maxRegisters)
                }
            } ?? []
        checkOverlaps(tags, path: fields.path("tags"))
        var device = Device(
            name: fields.get("name", required: true, string) ?? "",
            description: fields.get("description", string) ?? "",
            endpoint: endpoint ?? placeholderEndpoint,
            unitID: unitID,
            timeouts: fields.get("timeouts", timeouts) ?? Timeouts(),
            maxRegistersPerRequest: maxRegisters, maxBitsPerRequest: maxBits, maxGap: maxGap,
            closeAfterPoll: fields.get("close_after_poll", bool) ?? false, retries: retries, downDelay: downDelay,
            scanGroups: groups, tags: tags, location: location)
        device.anyUnit = fields.get("any_unit", bool) ?? false
        return device
    }

    private func bounded(_ fields: Fields, _ key: String, _ limits: ClosedRange<Int>, default value: Int) -> Int {
        guard let number = fields.get(key, int) else { return value }
        guard limits.contains(number) else {
            report(
                fields.node(key)!.location, fields.path(key),
                "\(number) is outside \(limits.lowerBound)...\(limits.upperBound)", .invalidValue)
            return value
        }
        return number
    }

    private func endpoint(_ node: ConfigNode, _ path: String) -> Endpoint? {
        let keys = ["protocol", "host", "port", "device", "baud", "parity", "data_bits", "stop_bits"]
        guard let fields = mapping(node, path, keys: keys) else { return nil }
        let protocols = [("tcp", false), ("rtu", true)]
        guard let isRTU = fields.get("protocol", required: true, { choice($0, $1, protocols, what: "protocol") })
        else { return nil }
        let foreign = isRTU ? ["host", "port"] : ["device", "baud", "parity", "data_bits", "stop_bits"]
        for key in foreign {
            if let node = fields.node(key) {
                report(
                    node.location, fields.path(key),
                    "\"\(key)\" does not apply to a \(isRTU ? "rtu" : "tcp") endpoint", .unknownKey)
            }
        }
        if !isRTU {
            let host = fields.get("host", required: true, string) ?? ""
            let port = fields.get("port", required: true, int) ?? 502
            guard (1...65535).contains(port) else {
                report(
                    fields.node("port")!.location, fields.path("port"), "port \(port) is outside 1...65535",
                    .invalidPort)
                return .tcp(host: host, port: 502)
            }
            return .tcp(host: host, port: port)
        }
        let bauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200]
        let baud = fields.get("baud", required: true) {
            choice($0, $1, bauds.map { (String($0), $0) }, what: "baud rate")
        }
        let parity = fields.get("parity") {
            choice($0, $1, Endpoint.Parity.allCases.map { ($0.rawValue, $0) }, what: "parity")
        }
        if fields.node("parity") == nil {
            note(fields.location, fields.path("parity"), "not given: even, the Modbus serial default (write parity: none "
                + "or odd for a device set otherwise)")
        }
        let dataBits = fields.get("data_bits") { choice($0, $1, [("7", 7), ("8", 8)], what: "data bits") }
        let stopBits = fields.get("stop_bits") { choice($0, $1, [("1", 1), ("2", 2)], what: "stop bits") }
        return .rtu(
            device: fields.get("device", required: true, string) ?? "", baud: baud ?? 19200,
            parity: parity ?? .even, dataBits: dataBits ?? 8, stopBits: stopBits ?? 1)
    }

    private func timeouts(_ node: ConfigNode, _ path: String) -> Timeouts? {
        guard let fields = mapping(node, path, keys: ["response", "byte", "connect"]) else { return nil }
        func read(_ key: String) -> Duration? {
            guard let value = fields.get(key, duration) else { return nil }
            guard value > .zero && value <= Self.maxTimeout else {
                report(
                    fields.node(key)!.location, fields.path(key),
                    "timeout \(Self.format(value)) must be above 0 and at most 60 s", .invalidTimeout)
                return nil
            }
            return value
        }
        let defaults = Timeouts()
        return Timeouts(
            response: read("response") ?? defaults.response, byte: read("byte") ?? defaults.byte,
            connect: read("connect") ?? defaults.connect)
    }

    private func scanGroup(_ node: ConfigNode, _ path: String) -> ScanGroup? {
        guard let fields = mapping(node, path, keys: ["name", "period"]) else { return nil }
        let name = fields.get("name", required: true, string) ?? ""
        var period = fields.get("period", required: true, duration) ?? .seconds(1)
        if fields.node("period") != nil, !Self.scanPeriods.contains(period) {
            report(
                fields.node("period")!.location, fields.path("period"),
                "scan period \(Self.format(period)) must be between 10 ms and 1 day", .invalidScanPeriod)
            period = .seconds(1)
        }
        return ScanGroup(name: name, period: period)
    }

    /// Registers of one table overlapping within a device, multi-register widths included.
    private func checkOverlaps(_ tags: [Tag], path: String) {
        let indexed = tags.enumerated().filter { !$0.element.name.isEmpty }
        for table in RegisterTable.allCases {
            let sorted = indexed.filter { $0.element.table == table }.sorted {
                ($0.element.address, $0.offset) < ($1.element.address, $1.offset)
            }
            var previous: (offset: Int, element: Tag)?
            for current in sorted {
                if let before = previous, current.element.address <= before.element.lastAddress {
                    let tag = current.element
                    report(
                        marks["\(path)[\(current.offset)].address"] ?? tag.location,
                        "\(path)[\(current.offset)].address",
                        "\(table.rawValue) \(tag.address)...\(tag.lastAddress) overlaps tag \"\(before.element.name)\" "
                            + "(\(before.element.address)...\(before.element.lastAddress))", .overlappingRegisters)
                }
                if previous == nil || current.element.lastAddress > previous!.element.lastAddress {
                    previous = current
                }
            }
        }
    }

    /// Names unique plant-wide: devices, and tags across all devices.
    func checkPlantWide(_ devices: [Device]) {
        var deviceNames: [String: Int] = [:]
        var tagNames: [String: String] = [:]
        for (index, device) in devices.enumerated() where !device.name.isEmpty {
            if let first = deviceNames[device.name] {
                report(
                    marks["devices[\(index)].name"] ?? device.location, "devices[\(index)].name",
                    "duplicate device name \"\(device.name)\" (first at devices[\(first)])", .duplicateName)
            } else {
                deviceNames[device.name] = index
            }
            for (tagIndex, tag) in device.tags.enumerated() where !tag.name.isEmpty {
                if let first = tagNames[tag.name] {
                    report(
                        marks["devices[\(index)].tags[\(tagIndex)].name"] ?? tag.location,
                        "devices[\(index)].tags[\(tagIndex)].name",
                        "duplicate tag name \"\(tag.name)\" (first at \(first))", .duplicateName)
                } else {
                    tagNames[tag.name] = "line \(tag.location.line)"
                }
            }
        }
    }
}
