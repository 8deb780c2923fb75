import Foundation

/// Progress of a long run on standard error: a bar redrawn in place with the rate and the time left when
/// standard error is a terminal, and a plain line every few seconds otherwise (logs, CI, Slurm output files).
public struct ProgressDisplay {
    public let label: String
    public let unit: String
    public let interactive: Bool
    private let start = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    private var drewBar = false
    private let quiet: Bool

    public init(label: String, unit: String = "points", quiet: Bool = false) {
        self.label = label
        self.unit = unit
        self.quiet = quiet
        interactive = isatty(STDERR_FILENO) != 0
    }

    /// Seconds since the display was made.
    public var elapsed: Double { Self.seconds(ContinuousClock.now - start) }

    /// Shows `done` of `total` (with `failed` of them failed); draws at most 10 times a second on a terminal
    /// and every 5 s otherwise.
    public mutating func update(done: Int, total: Int, failed: Int) {
        guard !quiet else { return }
        let now = ContinuousClock.now
        if let lastDrawn, Self.seconds(now - lastDrawn) < (interactive ? 0.1 : 5) { return }
        if lastDrawn == nil && !interactive {
            lastDrawn = now  // the first plain line comes after 5 s, so short runs print only their summary
            return
        }
        lastDrawn = now
        let t = Self.seconds(now - start)
        let rate = t > 0 ? Double(done) / t : 0
        let eta = rate > 0 ? Double(total - done) / rate : .infinity
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let figures =
            "\(done)/\(total) \(unit) (\(Int(fraction * 100)) %), \(Self.rate(rate)) \(unit)/s, "
            + "ETA \(Self.duration(eta))" + (failed > 0 ? ", \(failed) failed" : "")
        if interactive {
            let width = 30
            let filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) [\(bar)] \(figures)".utf8))
            drewBar = true
        } else {
            FileHandle.standardError.write(Data("\(label): \(figures)\n".utf8))
        }
    }

    /// Ends the bar and prints `summary` on its own line.
    public mutating func finish(_ summary: String) {
        if drewBar { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        if !quiet || !summary.isEmpty { FileHandle.standardError.write(Data("\(label): \(summary)\n".utf8)) }
    }

    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public static func rate(_ r: Double) -> String {
        if r >= 1e6 { return String(format: "%.2fM", r / 1e6) }
        if r >= 1e4 { return String(format: "%.0fk", r / 1e3) }
        if r >= 10 { return String(format: "%.0f", r) }
        return String(format: "%.2f", r)
    }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "--:--" }
        let total = Int(s.rounded())
        let h = total / 3600, m = total / 60 % 60, sec = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%d:%02d", m, sec)
    }
}
