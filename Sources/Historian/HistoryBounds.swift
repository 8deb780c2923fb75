/// Bounds every history, KPI and journal request is checked against, whatever the backend.
public enum HistoryBounds {
    /// The times a history or journal request may name, in ms since 1970 UTC: years 1 to 9999. Checked before
    /// any arithmetic, so that no request can overflow a bucket computation (an HTTP client once stopped the daemon
    /// with `to=9223372036854775807`).
    public static let time: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999
}
