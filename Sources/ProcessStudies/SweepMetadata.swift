import PlantConfig

/// The `#` lines a shard file starts with: what sweep it belongs to, which slice it is, and how many rows it
/// must hold. `geolith sweep merge` checks them and drops them, so the merged file is the plain CSV an
/// unsharded run writes.
///
///     # geolith-sweep-shard: 2/3
///     # plant: rittershoffen
///     # plant-fnv1a64: 3c2f9a0e5d1b7788
///     # plant-file: PlantConfigs/rittershoffen.yaml
///     # set: dle.model=equilibrium
///     # vary: production.flow=50:100:6
///     # design: grid
///     # model: steady
///     # points: 6
///     # shard-rows: 2
///     # objective: li_t_per_year:max
///     # sweep-id: 9d1c…
public struct SweepMetadata: Sendable, Hashable {
    public var shard: SweepShard
    public var plantID: String
    public var plantDigest: String
    public var plantFile: String
    public var settings: [String]
    public var varies: [String]
    /// `grid`, or `lhs samples=N seed=S`.
    public var design: String
    public var model: String
    public var points: Int
    public var shardRows: Int
    public var objective: String?
    /// Fingerprint of everything that makes two shards parts of one sweep (not the file name or objective).
    public var sweepID: String

    /// The metadata of `shard` of `definition`; `header` is the CSV header line, part of the identity so that
    /// shards written by versions with other KPI columns are refused.
    public init(definition: SweepDefinition, shard: SweepShard, objective: String?) {
        self.shard = shard
        plantID = definition.plant.id
        plantDigest = definition.plantDigest
        plantFile = definition.plantFile
        settings = definition.settings.map { "\($0.key)=\($0.value)" }
        varies = definition.plan.dimensions.map(\.specification)
        switch definition.plan.design {
        case .grid: design = "grid"
        case let .latinHypercube(samples, seed): design = "lhs samples=\(samples) seed=\(seed)"
        }
        model = definition.model.rawValue
        points = definition.plan.count
        shardRows = shard.pointCount(of: definition.plan.count)
        self.objective = objective
        sweepID = ""
        sweepID = Self.identity(self, header: SweepCSV.headerLine(definition.columnTitles))
    }

    /// The design the `# design:` line names.
    ///
    /// - Throws: ``StudyError/shardMismatch`` for a line this version does not write.
    public func planDesign() throws(StudyError) -> SweepPlan.Design {
        if design == "grid" { return .grid }
        var samples: Int?, seed: UInt64?
        for part in design.split(separator: " ") {
            if part.hasPrefix("samples=") { samples = Int(part.dropFirst(8)) }
            if part.hasPrefix("seed=") { seed = UInt64(part.dropFirst(5)) }
        }
        guard design.hasPrefix("lhs "), let samples, let seed else {
            throw StudyError(.shardMismatch, "unknown design \"\(design)\" in the shard metadata")
        }
        return .latinHypercube(samples: samples, seed: seed)
    }

    static func identity(_ m: SweepMetadata, header: String) -> String {
        let parts =
            [m.plantID, m.plantDigest, m.design, m.model, String(m.points), header]
            + m.settings.map { "set " + $0 } + m.varies.map { "vary " + $0 }
        return fnv1a64Hex(parts.joined(separator: "\n"))
    }

    /// The preamble, each line with its line end.
    public var lines: String {
        var out = "# geolith-sweep-shard: \(shard)\n# plant: \(plantID)\n# plant-fnv1a64: \(plantDigest)\n"
        out += "# plant-file: \(plantFile)\n"
        for s in settings { out += "# set: \(s)\n" }
        for v in varies { out += "# vary: \(v)\n" }
        out += "# design: \(design)\n# model: \(model)\n# points: \(points)\n# shard-rows: \(shardRows)\n"
        if let objective { out += "# objective: \(objective)\n" }
        return out + "# sweep-id: \(sweepID)\n"
    }

    /// Reads a preamble (the `#` lines, without line ends).
    ///
    /// - Throws: ``StudyError/shardMismatch`` naming the file and what is missing or malformed.
    public init(parsing lines: [Substring], file: String) throws(StudyError) {
        var values: [String: [String]] = [:]
        for line in lines {
            guard line.hasPrefix("# "), let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[line.index(line.startIndex, offsetBy: 2)..<colon])
            var value = line[line.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
            values[key, default: []].append(String(value))
        }
        func one(_ key: String) throws(StudyError) -> String {
            guard let v = values[key]?.first else {
                throw StudyError(
                    .shardMismatch, "\(file): not a sweep shard (no \"# \(key):\" line); run geolith sweep --shard K/N")
            }
            return v
        }
        func number(_ key: String) throws(StudyError) -> Int {
            guard let n = Int(try one(key)), n >= 0 else {
                throw StudyError(.shardMismatch, "\(file): bad \"# \(key):\" line")
            }
            return n
        }
        shard = try SweepShard(parsing: try one("geolith-sweep-shard"))
        plantID = try one("plant")
        plantDigest = try one("plant-fnv1a64")
        plantFile = values["plant-file"]?.first ?? ""
        settings = values["set"] ?? []
        varies = values["vary"] ?? []
        design = try one("design")
        model = try one("model")
        points = try number("points")
        shardRows = try number("shard-rows")
        objective = values["objective"]?.first
        sweepID = try one("sweep-id")
    }
}
