import ProcessModel

/// The numbers of a sweep's rows, column by column, for its report: kept while the sweep runs, or read back
/// from a (merged) CSV file, which gives the same doubles because the CSV holds them exactly.
public struct SweepTable: Sendable {
    public let plan: SweepPlan
    /// KPI (and reagent) keys and units, in column order.
    public let valueKeys: [(key: String, unit: String)]
    /// Point indices of the rows, increasing.
    public private(set) var points: [Int] = []
    /// `inputs[d][row]`: the value of dimension `d` (a number, or a word's index).
    public private(set) var inputs: [[Double]]
    /// `values[k][row]`: KPI `k`, NaN where the row has none.
    public private(set) var values: [[Double]]
    public private(set) var statuses: [SweepStatus] = []
    /// The first failures, in point order (at most ``maximumFailuresKept``).
    public private(set) var failures: [(point: Int, status: SweepStatus, error: String)] = []
    public static let maximumFailuresKept = 200

    init(plan: SweepPlan, valueKeys: [(key: String, unit: String)]) {
        self.plan = plan
        self.valueKeys = valueKeys
        inputs = plan.dimensions.map { _ in [] }
        values = valueKeys.map { _ in [] }
    }

    /// Row count.
    public var count: Int { points.count }

    /// The column of KPI `key`, or `nil`.
    public func column(_ key: String) -> [Double]? { valueKeys.firstIndex { $0.key == key }.map { values[$0] } }

    /// The unit of KPI `key`.
    public func unit(_ key: String) -> String? { valueKeys.first { $0.key == key }?.unit }

    mutating func append(_ chunk: Chunk, firstPosition: Int, shard: SweepShard) {
        let width = plan.dimensions.count + valueKeys.count
        for (r, status) in chunk.statuses.enumerated() {
            points.append(shard.point(firstPosition + r))
            statuses.append(status)
            let row = chunk.numbers[(r * width)..<((r + 1) * width)]
            for d in inputs.indices { inputs[d].append(row[row.startIndex + d]) }
            for k in values.indices { values[k].append(row[row.startIndex + inputs.count + k]) }
        }
        for failure in chunk.failures where failures.count < Self.maximumFailuresKept { failures.append(failure) }
    }

    /// Reads the rows of a sweep CSV (header included, no `#` lines) written for `plan`.
    ///
    /// - Throws: ``StudyError`` when the header does not match the plan's dimensions or a row is malformed.
    public init(csv text: String, plan: SweepPlan, file: String) throws(StudyError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        while lines.first?.hasPrefix("#") == true { lines = lines.dropFirst() }
        guard let headerLine = lines.first else { throw StudyError(.invalidInput, "\(file): empty") }
        let header = SweepCSV.fields(headerLine)
        let d = plan.dimensions.count
        guard header.count >= d + 4, header[0] == "point",
            Array(header[1...d]) == plan.dimensions.map(\.columnTitle),
            Array(header.suffix(3)) == ["status", "warnings", "error"]
        else {
            throw StudyError(.invalidInput, "\(file): the header does not match the sweep's varied keys")
        }
        let keys = header[(d + 1)..<(header.count - 3)].map { title -> (key: String, unit: String) in
            guard let open = title.firstIndex(of: "["), title.hasSuffix("]") else { return (title, "") }
            return (
                String(title[..<open]).trimmingSpaces,
                String(title[title.index(after: open)..<title.index(before: title.endIndex)])
            )
        }
        self.init(plan: plan, valueKeys: keys)
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = SweepCSV.fields(line)
            guard cells.count == header.count, let point = Int(cells[0]),
                let status = SweepStatus(text: cells[cells.count - 3])
            else {
                throw StudyError(.invalidInput, "\(file): row \(n + 1) is malformed")
            }
            points.append(point)
            statuses.append(status)
            for (k, dimension) in plan.dimensions.enumerated() {
                let cell = cells[k + 1]
                inputs[k].append(
                    dimension.isChoice ? Double(dimension.words.firstIndex(of: cell) ?? -1) : Double(cell) ?? .nan)
            }
            for k in values.indices { values[k].append(Double(cells[d + 1 + k]) ?? .nan) }
            if status != .ok && failures.count < Self.maximumFailuresKept {
                failures.append((point, status, cells[cells.count - 1]))
            }
        }
    }
}
