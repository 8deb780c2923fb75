public import Historian
import PlantConfig
import RegisterVocabulary

extension MonitorState {
    /// Every tag's value in ``Plant/allTags`` order, as the state holds them (`GET /api/v1/tags` reads them so,
    /// without building ``tagValues``' dictionary of 10,000 names and looking each tag up in it).
    public var tagValuesInPlantOrder: [TagValue] { state.withLock { $0.values } }

    /// The plant's live state as a fleet overview shows it: devices up, alarms active (highest priority first),
    /// KPIs, and where the historian stands.
    public func snapshot(at time: Int64) -> PlantSnapshot {
        let alarms = self.alarms.filter { $0.state != .normal }
            .sorted { ($0.definition.priority, $0.definition.id) < ($1.definition.priority, $1.definition.id) }
        let unacknowledged = alarms.filter { $0.state == .unacknowledgedActive || $0.state == .returnedUnacknowledged }.count
        return PlantSnapshot(
            time: time, name: plant.name, site: plant.site?.name ?? "",
            devices: deviceStatuses.map { PlantSnapshot.Device(name: $0.name, up: $0.up, lastError: $0.lastError) },
            alarms: alarms.prefix(PlantSnapshot.alarmListLimit).map {
                PlantSnapshot.Alarm(id: $0.definition.id, priority: $0.definition.priority, state: $0.state.rawValue,
                                    message: $0.definition.message, activeSince: $0.activeSince)
            },
            activeAlarms: alarms.filter(\.isActive).count, unacknowledgedAlarms: unacknowledged,
            kpis: kpis.map {
                PlantSnapshot.KPI(name: $0.name, label: $0.label, value: $0.value.isFinite ? $0.value : nil, unit: $0.unit,
                                  quality: $0.quality.description)
            },
            historian: historian?.status ?? HistorianStatus(backend: "none", location: ""))
    }
}
