/// The DLE train as the monitor sees it through the columns' phase signals (`dle.column.#.phase`: 1 load, 2 wash,
/// 3 elute): when each column entered its phase, how long each phase lasts, and the cycle, measured from the
/// transitions the monitor has observed. Times are the monitor's (ms).
///
/// A full cycle is observed once a column has been seen to start loading twice: from then on the durations of
/// the three phases and the cycle are known, each column's position in its phase follows from when it entered
/// it, and where the columns were when the monitor started follows from when each first changed phase.
struct TrainObserver: Sendable {
    struct Column: Sendable {
        var phase = -1
        /// When the current phase was entered; `nil` for the phase the column was in when the monitor started.
        var since: Int64?
        /// The phase at the start, and when the column left it.
        var firstPhase = -1
        var firstTransition: Int64?
        var lastLoadStart: Int64?
    }

    private(set) var columns: [Column] = []
    /// Latest measured duration of phases 1…3, ms (index 0 unused).
    private(set) var durations: [Int64?] = [nil, nil, nil, nil]
    /// Latest measured cycle, ms: a column's load start to its next.
    private(set) var cycle: Int64?
    private(set) var start: Int64?

    /// Whether a full cycle has been observed (and the three phases' durations with it).
    var fullCycleObserved: Bool { cycle != nil && durations[1...3].allSatisfy { $0 != nil } }

    /// Takes the phases seen at `time` (by column index, 0-based; NaN or out-of-range values are skipped).
    mutating func observe(_ phases: [Double], at time: Int64) {
        if start == nil { start = time }
        if columns.count < phases.count { columns += Array(repeating: Column(), count: phases.count - columns.count) }
        for (i, value) in phases.enumerated() {
            guard value.isFinite, value >= 0, value < 100 else { continue }
            let phase = Int(value.rounded())
            var column = columns[i]
            if column.phase < 0 {
                column.phase = phase
                column.firstPhase = phase
            } else if phase != column.phase {
                if let since = column.since, (1...3).contains(column.phase) { durations[column.phase] = time - since }
                if column.firstTransition == nil { column.firstTransition = time }
                if phase == 1 {
                    if let previous = column.lastLoadStart { cycle = time - previous }
                    column.lastLoadStart = time
                }
                column.phase = phase
                column.since = time
            }
            columns[i] = column
        }
    }

    /// How far column `i` is through its current phase at `time`, 0…1, once the phase's duration is known.
    func fraction(_ i: Int, at time: Int64) -> Double? {
        let column = columns[i]
        guard (1...3).contains(column.phase), let length = durations[column.phase], length > 0 else { return nil }
        if let since = column.since { return min(1, max(0, Double(time - since) / Double(length))) }
        // Still in its starting phase: it leaves the phase a full duration after it entered, unseen.
        return nil
    }

    /// How far column `i` was through its starting phase when the monitor started, once it has left it.
    func startingFraction(_ i: Int) -> Double? {
        let column = columns[i]
        guard let start, let left = column.firstTransition, (1...3).contains(column.firstPhase),
            let length = durations[column.firstPhase], length > 0
        else { return nil }
        return min(1, max(0, 1 - Double(left - start) / Double(length)))
    }

    /// Hours of the observed load and cycle.
    var loadHours: Double? { durations[1].map { Double($0) / 3_600_000 } }
    var cycleHours: Double? { cycle.map { Double($0) / 3_600_000 } }
}
