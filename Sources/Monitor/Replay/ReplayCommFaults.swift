import Foundation
import Historian
import PlantConfig
import RegisterVocabulary
import Timekeeping

/// The communication faults of a simulator recording, as the live monitor would have met them.
///
/// A recording holds what each device served; a communication fault (no answer, a late answer, an exception,
/// dropped connections, a restarting server) happens between the registers and the monitor, so the recorder
/// journals each fault's start and end with its kind and devices (`detail` of the scenario events), and replay
/// turns them back into what the poller sees: a timeout, a reset, a refused connection, or an exception for
/// the requests that touch the faulty range. Late answers within the device's response timeout are only slow.
struct ReplayCommFaults: Sendable {
    enum Fault: Sendable, Hashable {
        /// Breaks the link: the device is down and every tag of it bad with this quality.
        case link(Quality, String)
        /// An exception answer to requests overlapping the range; the device stays up.
        case exception(table: RegisterTable?, range: ClosedRange<Int>, code: UInt8)
    }

    struct Window: Sendable, Hashable {
        var from: Int64
        var to: Int64
        var fault: Fault
    }

    /// Windows by device name, in start order.
    private(set) var windows: [String: [Window]] = [:]

    init() {}

    /// Reads the fault windows journaled by a recorder; faults still on at the end of the recording last to `end`.
    init(events: [JournalEvent], plant: Plant, end: Int64) {
        let timeouts = Dictionary(plant.devices.map { ($0.name, $0.timeouts.response) }, uniquingKeysWith: { a, _ in a })
        var open: [String: (time: Int64, detail: JournalEvent.CommFault)] = [:]
        func close(_ label: String, at time: Int64) {
            guard let (start, detail) = open.removeValue(forKey: label) else { return }
            let fault: Fault
            switch detail.fault {
            case .noResponse: fault = .link(.bad(.timeout), "timeout")
            case .lateResponse: fault = .link(.bad(.timeout), "timeout")
            case .dropConnections: fault = .link(.bad(.commFailure), "connection_reset")
            case .restart: fault = .link(.bad(.notConnected), "connect_failed")
            case .exception:
                fault = .exception(table: detail.table.flatMap(RegisterTable.init(rawValue:)),
                                   range: (detail.from ?? 0)...max(detail.from ?? 0, detail.to ?? 65_535), code: detail.code ?? 4)
            }
            for device in detail.devices {
                // A late answer within the response timeout is only slow.
                if detail.fault == .lateResponse, let delay = detail.delay, let timeout = timeouts[device],
                   delay < timeout.seconds { continue }
                windows[device, default: []].append(Window(from: start, to: time, fault: fault))
            }
        }
        for event in events where event.kind == .scenario {
            guard let detail = event.detail.commFault else { continue }
            if event.message.hasPrefix("begins") {
                open[event.source] = (event.time, detail)
            } else if event.message.hasPrefix("ends") {
                close(event.source, at: event.time)
            }
        }
        for label in open.keys.sorted() { close(label, at: end + 1) }
        for device in windows.keys { windows[device]!.sort { $0.from < $1.from } }
    }

    /// The windows as (device, from, to, what), devices in name order, for the replay's summary.
    var summary: [(device: String, from: Int64, to: Int64, what: String)] {
        windows.keys.sorted().flatMap { device in
            windows[device]!.map { window in
                switch window.fault {
                case .link(let quality, _): (device, window.from, window.to, "\(quality)")
                case .exception(_, let range, let code): (device, window.from, window.to, "exception \(code) on \(range.lowerBound)–\(range.upperBound)")
                }
            }
        }
    }

    /// The faults on `device` at `time`.
    func active(on device: String, at time: Int64) -> [Fault] {
        guard let list = windows[device] else { return [] }
        return list.filter { $0.from <= time && time < $0.to }.map(\.fault)
    }
}
