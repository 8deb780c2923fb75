import Foundation
import ProcessModel

/// One measured run for `geolith calibrate --data run.csv`: outlet concentrations over time, optionally with
/// their standard deviations, and the experiment keys this run set differently (its own steps).
///
/// The file is CSV with a header line:
///
/// ```
/// # lab column, run 2 (lines starting with # are comments)
/// # set steps.load.flow_bv_per_h=20
/// time_min,Li_mg_per_l,Li_sd_mg_per_l
/// 0,0,0.5
/// 30,0.1,0.5
/// ```
///
/// - the time column: one of `time_s`, `time_min`, `time_h` (since the start of the run), or `bed_volumes`
///   (with several, the first of these is used);
/// - a column per measured component: `<component>_mg_per_l`, `_g_per_l`, `_mol_per_m3` or `_mmol_per_l`;
/// - optionally its standard deviation `<component>_sd_<unit>` (weights 1/σ²; without it every point of a
///   component weighs alike and σ is estimated from the residuals);
/// - `# set key=value` comment lines: `--set` overrides of the experiment for this run only.
///
/// An empty cell is a value not measured at that time.
public struct CalibrationRun: Sendable {
    /// One measured series: a component in one unit.
    public struct Series: Sendable {
        public var component: String
        /// Unit factor to mol/m³ before dividing by the molar mass: 1e-3·1000 for mg/L (g/m³), 1000 for g/L;
        /// `nil` for molar units (already mol/m³ after ``molarFactor``).
        public var massFactor: Double?
        public var molarFactor: Double?
        /// The unit as written in the header (`mg_per_l`).
        public var unit: String
        /// Times (in the file's time unit, converted by ``CalibrationRun/timeFactor``) and values, where measured.
        public var points: [(time: Double, value: Double, sd: Double?)]
    }

    public var file: String
    /// `--set` overrides of this run (`# set key=value` lines).
    public var settings: [(key: String, value: String)]
    /// Seconds per time unit, or `nil` when times are bed volumes.
    public var timeFactor: Double?
    public var timeColumn: String
    public var series: [Series]

    /// Number of measured values over every series.
    public var pointCount: Int { series.reduce(0) { $0 + $1.points.count } }

    static let timeColumns: [(String, Double?)] = [("time_s", 1), ("time_min", 60), ("time_h", 3600), ("bed_volumes", nil)]
    static let units: [(String, mass: Double?, molar: Double?)] = [
        ("mg_per_l", 1, nil), ("g_per_l", 1000, nil), ("mol_per_m3", nil, 1), ("mmol_per_l", nil, 1),
    ]

    /// Parses a data file's text.
    ///
    /// - Parameters:
    ///   - components: the experiment's component names, to check the header.
    /// - Throws: ``StudyError`` naming the file and line: a missing time or value column, an unknown component or
    ///   unit, a wrong number of fields, a value that is not a finite number, a standard deviation ≤ 0, or times
    ///   that do not increase.
    public init(text: String, file: String, components: [String]) throws(StudyError) {
        self.file = file
        var settings: [(key: String, value: String)] = []
        var header: [String]?
        var timeIndex = 0, factor: Double? = 1, timeName = ""
        var series: [Series] = []
        var valueColumns: [Int: Int] = [:], sdColumns: [Int: Int] = [:]
        var previousTime = -Double.infinity
        func fail(_ line: Int, _ message: String) -> StudyError { StudyError(.invalidInput, "\(file):\(line): \(message)") }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty { continue }
            if content.hasPrefix("#") {
                let comment = content.dropFirst().trimmingCharacters(in: .whitespaces)
                if comment.hasPrefix("set ") {
                    let setting = comment.dropFirst(4).trimmingCharacters(in: .whitespaces)
                    guard let equals = setting.firstIndex(of: "="), equals > setting.startIndex else {
                        throw fail(line, "a set line needs key=value: \"\(setting)\"")
                    }
                    settings.append((String(setting[..<equals]).trimmingSpaces, String(setting[setting.index(after: equals)...]).trimmingSpaces))
                }
                continue
            }
            let fields = content.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let names = header else {
                header = fields
                // The first time column in the order time_s, time_min, time_h, bed_volumes; others are ignored (so
                // `geolith column --csv` output, with time_s and bed_volumes, reads as data).
                guard let time = Self.timeColumns.first(where: { fields.contains($0.0) }) else {
                    throw fail(line, "no time column: the header needs one of time_s, time_min, time_h, bed_volumes")
                }
                timeIndex = fields.firstIndex(of: time.0)!
                timeName = time.0
                factor = time.1
                let ignored = Set(fields.indices.filter { i in Self.timeColumns.contains { $0.0 == fields[i] } })
                for (column, name) in fields.enumerated() where !ignored.contains(column) {
                    let (component, unit, isSD) = try Self.column(name, line: line, file: file, components: components)
                    let entry = Self.units.first { $0.0 == unit }!
                    if isSD {
                        guard let target = series.firstIndex(where: { $0.component == component && $0.unit == unit }) else {
                            throw fail(line, "\(name): give the column \(component)_\(unit) before its standard deviation")
                        }
                        sdColumns[target] = column
                    } else {
                        guard !series.contains(where: { $0.component == component }) else {
                            throw fail(line, "\(component) is given twice")
                        }
                        valueColumns[series.count] = column
                        series.append(Series(component: component, massFactor: entry.mass, molarFactor: entry.molar, unit: unit, points: []))
                    }
                }
                guard !series.isEmpty else { throw fail(line, "no measured column: add e.g. Li_mg_per_l") }
                continue
            }
            guard fields.count == names.count else {
                throw fail(line, "\(fields.count) fields for the header's \(names.count)")
            }
            func number(_ column: Int) throws(StudyError) -> Double? {
                let text = fields[column]
                if text.isEmpty { return nil }
                guard let value = Double(text), value.isFinite else {
                    throw fail(line, "\(names[column]): \"\(text.prefix(30))\" is not a finite number")
                }
                return value
            }
            guard let time = try number(timeIndex) else { throw fail(line, "\(timeName) is empty") }
            guard time > previousTime else {
                throw fail(line, "\(timeName) \(time) does not increase (the line before has \(previousTime)): sort the rows by time")
            }
            guard time >= 0 else { throw fail(line, "\(timeName) \(time) is negative") }
            previousTime = time
            for (s, column) in valueColumns {
                guard let value = try number(column) else { continue }
                var sd: Double?
                if let sdColumn = sdColumns[s] {
                    guard let given = try number(sdColumn) else {
                        throw fail(line, "\(names[sdColumn]) is empty where \(names[column]) is given")
                    }
                    guard given > 0 else { throw fail(line, "\(names[sdColumn]) must be > 0, not \(given)") }
                    sd = given
                }
                series[s].points.append((time, value, sd))
            }
        }
        guard header != nil else { throw StudyError(.invalidInput, "\(file): no header line and no data") }
        guard series.contains(where: { !$0.points.isEmpty }) else { throw StudyError(.invalidInput, "\(file): no measured values") }
        self.settings = settings
        self.timeFactor = factor
        self.timeColumn = timeName
        self.series = series
    }

    /// Splits `Li_mg_per_l` / `Li_sd_mg_per_l` into component, unit and whether it is a standard deviation.
    private static func column(_ name: String, line: Int, file: String, components: [String]) throws(StudyError)
        -> (String, String, Bool)
    {
        guard let unit = units.map(\.0).first(where: { name.hasSuffix("_" + $0) }) else {
            throw StudyError(.invalidInput,
                "\(file):\(line): column \"\(name)\": the unit must end the name, one of "
                    + units.map { "_" + $0.0 }.joined(separator: ", ") + " (e.g. Li_mg_per_l)")
        }
        var stem = String(name.dropLast(unit.count + 1))
        let isSD = stem.hasSuffix("_sd")
        if isSD { stem = String(stem.dropLast(3)) }
        guard components.contains(stem) else {
            throw StudyError(.invalidInput,
                "\(file):\(line): column \"\(name)\": no component \"\(stem)\" in the experiment (\(components.joined(separator: ", ")))")
        }
        return (stem, unit, isSD)
    }
}
