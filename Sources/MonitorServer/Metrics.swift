import Foundation
import Historian
public import Monitor
import PlantConfig
import ProcessModel
import Prometheus
import RegisterVocabulary

/// The monitor's Prometheus exposition (text format 0.0.4), no sample timestamps.
///
/// Two kinds of series, produced two ways:
/// - **State** (tag values with a quality companion series, KPIs, alarms by priority band and state, device up,
///   request/error/reconnect/scan counters, historian backlog) is rendered from ``MonitorState`` at each scrape,
///   the way Prometheus's guide to writing exporters asks for ("custom collectors", not mirrored gauges).
///   swift-prometheus 2.4.1 has no custom collectors, and mirroring 10,000 tags into its registry costs seconds
///   to register the gauges (each registration copies the family's label dictionary) against milliseconds for
///   this renderer's scrape (CHANGELOG.md, "Metrics").
/// - **Events** between scrapes, the Modbus request latencies, go into swift-prometheus histograms per device
///   (`geolith_modbus_request_duration_seconds`), fed by ``MonitorState/observeRequests(_:)``.
public final class MonitorMetrics: Sendable {
    /// Upper bounds of the latency buckets, seconds: Modbus TCP on a LAN answers in 1–50 ms, RTU in 10–500 ms,
    /// and a timeout costs the device's response timeout (0.5–1 s by default).
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ]

    let state: MonitorState
    let registry = PrometheusCollectorRegistry()
    private let latency: [String: ValueHistogram]
    /// The label part of every tag's value and quality line, rendered once (the plant of a state never changes).
    private let tagLines: TagLines

    /// Sets up the histograms for `state`'s devices and starts observing its requests.
    public init(state: MonitorState) {
        self.state = state
        tagLines = TagLines(plant: state.plant)
        var latency: [String: ValueHistogram] = [:]
        for device in state.plant.devices {
            latency[device.name] = registry.makeValueHistogram(
                descriptor: MetricNameDescriptor(namespace: "geolith", subsystem: "modbus", metricName: "request_duration",
                                                 unitName: "seconds", helpText: "Latency of successful Modbus requests."),
                labels: [("plant", state.plant.id), ("device", device.name)], buckets: Self.latencyBuckets)
        }
        self.latency = latency
        state.observeRequests { [latency] device, seconds in latency[device]?.record(seconds) }
    }

    /// The exposition of the state and the histograms.
    public func exposition() -> [UInt8] {
        var out = ExpositionWriter()
        out.bytes.reserveCapacity(state.plant.allTags.count * 170 + 4096)
        let plant = state.plant.id
        let values = state.tagValues
        let current = tagLines.names.map { values[$0] }
        out.header("geolith_tag_value", "gauge", "Latest value of a tag, in its engineering unit.")
        for (index, value) in current.enumerated() {
            guard let value, value.time > 0, value.value.isFinite, let prefix = tagLines.value[index] else { continue }
            out.line(tagLines.text[prefix], value.value)
        }
        out.header("geolith_tag_quality", "gauge", "Quality of a tag: 2 good, 1 uncertain, 0 bad.")
        for (index, value) in current.enumerated() {
            guard let value else { continue }
            out.line(tagLines.text[tagLines.quality[index]], Double(value.quality.status.rawValue))
        }
        let kpis = state.kpis
        out.header("geolith_kpi_value", "gauge", "Soft-sensor KPI, in its unit (absent while its stage is idle).")
        for kpi in kpis where !kpi.idle {
            out.sample(
                "geolith_kpi_value",
                [("plant", plant), ("kpi", kpi.name), ("unit", kpi.unit), ("quality", kpi.quality.status.name)],
                kpi.value)
        }
        out.header("geolith_kpi_idle", "gauge", "1 while the stage a KPI describes is idle (pump or refinery stopped).")
        for kpi in kpis { out.sample("geolith_kpi_idle", [("plant", plant), ("kpi", kpi.name)], kpi.idle ? 1 : 0) }
        alarmCounts(into: &out, plant: plant)
        deviceSeries(into: &out, plant: plant)
        out.header("geolith_historian_pending", "gauge", "Samples and events waiting for the next historian flush.")
        out.sample("geolith_historian_pending", [("plant", plant)], Double(state.historian?.pending ?? 0))
        if let status = state.historian?.status {
            out.header("geolith_historian_behind", "gauge", "1 while acknowledged samples wait in the spool for the database.")
            out.sample("geolith_historian_behind", [("plant", plant)], status.behind ? 1 : 0)
            out.header("geolith_historian_spooled_samples", "gauge", "Samples waiting in the historian's spool.")
            out.sample("geolith_historian_spooled_samples", [("plant", plant)], Double(status.spooledSamples))
            out.header("geolith_historian_spool_bytes", "gauge", "Bytes of batches in the historian's spool.")
            out.sample("geolith_historian_spool_bytes", [("plant", plant)], Double(status.spoolBytes))
            out.header("geolith_historian_dropped_samples_total", "counter", "Samples lost because the spool was full.")
            out.sample("geolith_historian_dropped_samples_total", [("plant", plant)], Double(status.droppedSamples))
        }
        out.header("geolith_live_updates_total", "counter", "Live updates published.")
        out.sample("geolith_live_updates_total", [("plant", plant)], Double(state.feed.lastSequence))
        registry.emit(into: &out.bytes)
        return out.bytes
    }

    private func alarmCounts(into out: inout ExpositionWriter, plant: String) {
        out.header("geolith_alarms", "gauge", "Alarms by priority band and state (normal alarms are not counted).")
        var counts: [String: Int] = [:]
        for alarm in state.alarms where alarm.state != .normal {
            let band = alarm.definition.priority <= 100 ? "high" : alarm.definition.priority <= 300 ? "medium" : "low"
            counts["\(band) \(alarm.state.rawValue)", default: 0] += 1
        }
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: " ")
            out.sample(
                "geolith_alarms", [("plant", plant), ("priority", String(parts[0])), ("state", String(parts[1]))],
                Double(count))
        }
    }

    private func deviceSeries(into out: inout ExpositionWriter, plant: String) {
        let devices = state.deviceStatuses
        func each(_ name: String, _ type: String, _ help: String, _ value: (DeviceStatus) -> Double) {
            out.header(name, type, help)
            for d in devices { out.sample(name, [("plant", plant), ("device", d.name)], value(d)) }
        }
        each("geolith_device_up", "gauge", "Whether the device answers (1) or not (0).") { $0.up ? 1 : 0 }
        each("geolith_modbus_requests_total", "counter", "Modbus requests sent.") { Double($0.requests) }
        out.header("geolith_modbus_errors_total", "counter", "Failed Modbus requests by kind.")
        for d in devices {
            for (kind, count) in d.errors.sorted(by: { $0.key < $1.key }) {
                out.sample(
                    "geolith_modbus_errors_total", [("plant", plant), ("device", d.name), ("kind", kind)], Double(count)
                )
            }
        }
        each("geolith_modbus_reconnects_total", "counter", "Reconnections after a device was down.") {
            Double($0.reconnects)
        }
        each("geolith_scans_total", "counter", "Scans of any scan group.") { Double($0.scans) }
        each("geolith_scan_overruns_total", "counter", "Scans that started after the next deadline.") {
            Double($0.overruns)
        }
    }
}

/// `name{labels} ` of each tag's value and quality series, in one buffer (no allocation per tag per scrape).
struct TagLines {
    var names: [String] = []
    var text: [UInt8] = []
    /// Ranges in `text`, by tag index; no value line for string tags.
    var value: [Range<Int>?] = []
    var quality: [Range<Int>] = []

    init(plant: Plant) {
        var writer = ExpositionWriter()
        func prefix(_ name: String, _ labels: [(String, String)]) -> Range<Int> {
            let start = writer.bytes.count
            writer.prefix(name, labels)
            return start..<writer.bytes.count
        }
        for device in plant.devices {
            for tag in device.tags {
                names.append(tag.name)
                let labels = [("plant", plant.id), ("device", device.name), ("tag", tag.name)]
                value.append(
                    tag.dataType == .string ? nil : prefix("geolith_tag_value", labels + [("unit", tag.unit.symbol)]))
                quality.append(prefix("geolith_tag_quality", labels))
            }
        }
        text = writer.bytes
    }
}

/// Appends exposition lines as UTF-8 bytes; label values are escaped as the text format asks (`\\`, `\"`, `\n`).
struct ExpositionWriter {
    var bytes: [UInt8] = []

    mutating func line(_ prefix: ArraySlice<UInt8>, _ value: Double) {
        bytes += prefix
        bytes += Self.number(value).utf8
        bytes.append(UInt8(ascii: "\n"))
    }

    mutating func header(_ name: String, _ type: String, _ help: String) {
        bytes += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n".utf8
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        prefix(name, labels)
        bytes += Self.number(value).utf8
        bytes.append(UInt8(ascii: "\n"))
    }

    /// `name{labels} `
    mutating func prefix(_ name: String, _ labels: [(String, String)]) {
        bytes += name.utf8
        bytes.append(UInt8(ascii: "{"))
        for (index, (key, text)) in labels.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += key.utf8
            bytes += "=\"".utf8
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): bytes += "\\\\".utf8
                case UInt8(ascii: "\""): bytes += "\\\"".utf8
                case UInt8(ascii: "\n"): bytes += "\\n".utf8
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes += "} ".utf8
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return "\(value)"
    }
}
