/// Alarm limits that replace a plant description's, for replaying a run with another alarm setup.
///
/// The file maps tag names to alarm limits written exactly as a tag's `alarms:` in a plant description
/// (`low_low`, `low`, `high`, `high_high`, `rate_of_change`, `deadband`, `on_delay`, `off_delay`,
/// `priority`); `none` removes a tag's alarms. Tags not named keep theirs.
///
/// ```yaml
/// alarms:
///   RT-TT101: { high: 170, high_high: 175, deadband: 0.5, on_delay: 10s }
///   RT-FT101: none
/// ```
public struct AlarmOverrides: Sendable, Hashable {
    /// New limits by tag name; `nil` removes the tag's alarms.
    public var limits: [String: AlarmLimits?]

    public init(limits: [String: AlarmLimits?]) {
        self.limits = limits
    }

    /// Reads an alarm file against a plant.
    ///
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - file: the name issues give for it.
    ///   - plant: the plant whose tags the file names.
    /// - Throws: ``PlantConfigError`` listing every problem (unknown tags with a suggestion, unknown keys,
    ///   limits out of order), each with line, column and key path.
    public static func load(yaml: String, file: String, plant: Plant) throws -> AlarmOverrides {
        let root = try PlantLoader.parse(yaml: yaml, file: file)
        let reader = ConfigReader(file: file)
        var limits: [String: AlarmLimits?] = [:]
        let tagNames = plant.allTags.map(\.name)
        let known = Set(tagNames)
        if let top = reader.mapping(root, "", keys: ["alarms"]) {
            if let node = top.node("alarms", required: true) {
                if case let .mapping(entries, _) = node {
                    for entry in entries {
                        let path = "alarms.\(entry.key)"
                        guard known.contains(entry.key) else {
                            reader.report(entry.keyLocation, path, "no tag \"\(entry.key.prefix(60))\" in plant \(plant.id)"
                                          + reader.suggestion(for: entry.key, in: tagNames), .unknownKey)
                            continue
                        }
                        if let word = entry.value.string, ["none", "null", "~"].contains(word.lowercased()) {
                            limits[entry.key] = .some(nil)
                        } else if let parsed = reader.alarms(entry.value, path) {
                            limits[entry.key] = parsed
                        }
                    }
                } else {
                    reader.report(node.location, "alarms", "expected a mapping of tag names to alarm limits", .wrongType)
                }
            }
        }
        if !reader.issues.isEmpty {
            throw PlantConfigError(issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return AlarmOverrides(limits: limits)
    }

    /// The tags whose alarms this changes, sorted.
    public var tags: [String] { limits.keys.sorted() }
}

extension Plant {
    /// The plant with the alarm limits of `overrides` in place of its own.
    public func applying(_ overrides: AlarmOverrides) -> Plant {
        var plant = self
        for d in plant.devices.indices {
            for t in plant.devices[d].tags.indices {
                if let replacement = overrides.limits[plant.devices[d].tags[t].name] {
                    plant.devices[d].tags[t].alarms = replacement
                }
            }
        }
        return plant
    }
}
