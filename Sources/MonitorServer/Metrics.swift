import Foundation
import Historian
import Modbus
import Monitor
import PlantConfig
import ProcessModel

/// Prometheus text exposition (format 0.0.4) of the monitor: tag values with a quality companion series,
/// KPIs, alarms by priority band and state, poller statistics per device. No sample timestamps.
enum Metrics {
    static func exposition(_ state: MonitorState) -> String {
        var out = ""
        let plant = label(state.plant.id)
        func header(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
            let text = labels.map { "\($0.0)=\"\(label($0.1))\"" }.joined(separator: ",")
            out += "\(name){\(text)} \(number(value))\n"
        }
        let values = state.tagValues
        header("geolith_tag_value", "gauge", "Latest value of a tag, in its engineering unit.")
        for device in state.plant.devices {
            for tag in device.tags where tag.dataType != .string {
                guard let value = values[tag.name], value.time > 0, value.value.isFinite else { continue }
                sample("geolith_tag_value", [("plant", plant), ("device", device.name), ("tag", tag.name), ("unit", tag.unit.symbol)], value.value)
            }
        }
        header("geolith_tag_quality", "gauge", "Quality of a tag: 2 good, 1 uncertain, 0 bad.")
        for device in state.plant.devices {
            for tag in device.tags {
                guard let value = values[tag.name] else { continue }
                sample("geolith_tag_quality", [("plant", plant), ("device", device.name), ("tag", tag.name)], Double(value.quality.status.rawValue))
            }
        }
        header("geolith_kpi_value", "gauge", "Soft-sensor KPI, in its unit.")
        for kpi in state.kpis {
            sample("geolith_kpi_value", [("plant", plant), ("kpi", kpi.name), ("unit", kpi.unit), ("quality", "\(kpi.quality.status)")], kpi.value)
        }
        header("geolith_alarms", "gauge", "Alarms by priority band and state (normal alarms are not counted).")
        var counts: [String: Int] = [:]
        for alarm in state.alarms where alarm.state != .normal {
            let band = alarm.definition.priority <= 100 ? "high" : alarm.definition.priority <= 300 ? "medium" : "low"
            counts["\(band) \(alarm.state.rawValue)", default: 0] += 1
        }
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: " ")
            sample("geolith_alarms", [("plant", plant), ("priority", String(parts[0])), ("state", String(parts[1]))], Double(count))
        }
        let devices = state.deviceStatuses
        header("geolith_device_up", "gauge", "Whether the device answers (1) or not (0).")
        for d in devices { sample("geolith_device_up", [("plant", plant), ("device", d.name)], d.up ? 1 : 0) }
        header("geolith_modbus_requests_total", "counter", "Modbus requests sent.")
        for d in devices { sample("geolith_modbus_requests_total", [("plant", plant), ("device", d.name)], Double(d.requests)) }
        header("geolith_modbus_errors_total", "counter", "Failed Modbus requests by kind.")
        for d in devices {
            for (kind, count) in d.errors.sorted(by: { $0.key < $1.key }) {
                sample("geolith_modbus_errors_total", [("plant", plant), ("device", d.name), ("kind", kind)], Double(count))
            }
        }
        header("geolith_modbus_reconnects_total", "counter", "Reconnections after a device was down.")
        for d in devices { sample("geolith_modbus_reconnects_total", [("plant", plant), ("device", d.name)], Double(d.reconnects)) }
        header("geolith_scans_total", "counter", "Scans of any scan group.")
        for d in devices { sample("geolith_scans_total", [("plant", plant), ("device", d.name)], Double(d.scans)) }
        header("geolith_scan_overruns_total", "counter", "Scans that started after the next deadline.")
        for d in devices { sample("geolith_scan_overruns_total", [("plant", plant), ("device", d.name)], Double(d.overruns)) }
        header("geolith_modbus_request_duration_seconds", "summary", "Request latency over the last 512 requests.")
        for d in devices {
            for q in [0.5, 0.99] {
                if let v = d.latencyQuantile(q) {
                    sample("geolith_modbus_request_duration_seconds", [("plant", plant), ("device", d.name), ("quantile", "\(q)")], v)
                }
            }
            let sum = d.latencies.reduce(0, +)
            out += "geolith_modbus_request_duration_seconds_sum{plant=\"\(plant)\",device=\"\(label(d.name))\"} \(number(sum))\n"
            out += "geolith_modbus_request_duration_seconds_count{plant=\"\(plant)\",device=\"\(label(d.name))\"} \(d.latencies.count)\n"
        }
        header("geolith_historian_pending", "gauge", "Samples and events waiting for the next historian flush.")
        out += "geolith_historian_pending{plant=\"\(plant)\"} \(state.historian?.pending ?? 0)\n"
        header("geolith_live_updates_total", "counter", "Live updates published.")
        out += "geolith_live_updates_total{plant=\"\(plant)\"} \(state.feed.lastSequence)\n"
        return out
    }

    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return "\(value)"
    }
}
