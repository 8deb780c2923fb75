extension ConfigReader {
    static let plantKeys = ["id", "name", "site", "brine", "wells", "process", "devices"]

    /// Reads the whole description; `nil` only when the top level is not a mapping.
    func plant(_ root: ConfigNode) -> Plant? {
        guard case .mapping = root else {
            report(
                root.location, "",
                "expected a plant description mapping (id, name, site, ...) at the top level, "
                    + "found \(root.string == nil ? "a list" : "a scalar")", .wrongType)
            return nil
        }
        guard let fields = mapping(root, "", keys: Self.plantKeys) else { return nil }
        let id = fields.get("id", required: true, string) ?? ""
        let name = fields.get("name", required: true, string) ?? ""
        // Only id, name and devices are required: without site, brine, wells and process a description is for
        // monitoring only. The process model needs the brine, so a process section without one is a problem.
        let site = fields.get("site", site)
        let brine = fields.get("brine", brine)
        if brine == nil, fields.node("brine") == nil, let process = fields.node("process") {
            report(
                process.location, "process",
                "the process section needs the brine it processes: add \"brine:\" (temperature, tds, composition, "
                    + "sources), or remove \"process:\" to monitor only", .missingKey)
        }
        let wells =
            fields.get("wells") { node, path in
                list(node, path)?.enumerated().map { well($1, "\(path)[\($0)]") }
            } ?? []
        let devices =
            fields.get("devices", required: true) { node, path in
                list(node, path)?.enumerated().map { device($1, "\(path)[\($0)]") }
            } ?? []
        if let node = fields.node("devices"), case let .sequence(items, _) = node, items.isEmpty {
            report(node.location, "devices", "a plant needs at least one device", .invalidValue)
        }
        checkPlantWide(devices)
        return Plant(
            id: id, name: name, site: site, brine: brine, wells: wells, process: fields.node("process"),
            devices: devices, source: root.location, notes: notes)
    }

    private func site(_ node: ConfigNode, _ path: String) -> Site? {
        guard let fields = mapping(node, path, keys: ["name", "country", "latitude", "longitude"]) else { return nil }
        let latitude = fields.get("latitude", double)
        let longitude = fields.get("longitude", double)
        if let latitude, !(-90.0...90.0).contains(latitude) {
            report(
                fields.node("latitude")!.location, fields.path("latitude"), "latitude must be in -90...90",
                .invalidValue)
        }
        if let longitude, !(-180.0...180.0).contains(longitude) {
            report(
                fields.node("longitude")!.location, fields.path("longitude"), "longitude must be in -180...180",
                .invalidValue)
        }
        if (latitude == nil) != (longitude == nil) {
            report(fields.location, path, "give both latitude and longitude, or neither", .missingKey)
        }
        let coordinates = latitude.flatMap { lat in longitude.map { Coordinates(latitude: lat, longitude: $0) } }
        return Site(
            name: fields.get("name", required: true, string) ?? "",
            country: fields.get("country", required: true, string) ?? "", coordinates: coordinates)
    }

    private func brine(_ node: ConfigNode, _ path: String) -> BrineSpec? {
        let keys = ["temperature", "tds", "density", "composition", "sources"]
        guard let fields = mapping(node, path, keys: keys) else { return nil }
        let temperature = positive(fields, "temperature", required: true, limit: 400) ?? 0
        let tds = positive(fields, "tds", required: true, limit: 700) ?? 0
        let density = positive(fields, "density", required: false, limit: 2000)
        var composition: [String: Double] = [:]
        if let node = fields.node("composition"), case let .mapping(entries, _) = node {
            for entry in entries {
                let entryPath = join(fields.path("composition"), entry.key)
                if let value = double(entry.value, entryPath) {
                    if value < 0 {
                        report(entry.value.location, entryPath, "a concentration cannot be negative", .invalidValue)
                    }
                    composition[entry.key] = value
                }
            }
        } else if let node = fields.node("composition") {
            report(node.location, fields.path("composition"), "expected a mapping of species to mg/L", .wrongType)
        } else {
            _ = fields.node("composition", required: true)
        }
        let sources =
            fields.get("sources", required: true) { node, path in
                list(node, path)?.enumerated().compactMap { string($1, "\(path)[\($0)]") }
            } ?? []
        return BrineSpec(
            temperature: temperature, tds: tds, density: density, composition: composition,
            sources: sources)
    }

    private func well(_ node: ConfigNode, _ path: String) -> Well {
        let placeholder = Well(name: "", role: .production, flow: 0, temperature: 0)
        let keys = ["name", "role", "flow", "temperature", "pressure"]
        guard let fields = mapping(node, path, keys: keys) else { return placeholder }
        let roles = Well.Role.allCases.map { ($0.rawValue, $0) }
        return Well(
            name: fields.get("name", required: true, string) ?? "",
            role: fields.get("role", required: true) { choice($0, $1, roles, what: "well role") } ?? .production,
            flow: positive(fields, "flow", required: true, limit: 10_000) ?? 0,
            temperature: positive(fields, "temperature", required: true, limit: 400) ?? 0,
            pressure: positive(fields, "pressure", required: false, limit: 1000))
    }

    /// A number in 0...limit.
    func positive(_ fields: Fields, _ key: String, required: Bool, limit: Double) -> Double? {
        guard let value = fields.get(key, required: required, double) else { return nil }
        if !(0...limit).contains(value) {
            report(fields.node(key)!.location, fields.path(key), "\(value) is outside 0...\(limit)", .invalidValue)
        }
        return value
    }
}
