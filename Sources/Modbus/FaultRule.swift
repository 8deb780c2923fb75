public import RegisterVocabulary
/// A fault the server injects for requests that touch an address range.
public struct FaultRule: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Answer with a Modbus exception (code 1–11).
        case exception(UInt8)
        /// Answer after a delay (e.g. beyond the client's timeout).
        case delay(Duration)
        /// Do not answer at all.
        case noResponse
        /// Close the connection instead of answering.
        case dropConnection
    }

    /// The table, or `nil` for every table.
    public var table: RegisterTable?
    public var range: ClosedRange<Int>
    public var kind: Kind
    /// Applies to every `every`-th matching request only (1: all of them), e.g. one lost answer in ten.
    public var every: Int

    public init(table: RegisterTable? = nil, range: ClosedRange<Int> = 0...65535, kind: Kind, every: Int = 1) {
        precondition(every >= 1, "a fault applies to every n-th request, n ≥ 1")
        self.table = table
        self.range = range
        self.kind = kind
        self.every = every
    }

    func matches(table requested: RegisterTable, address: Int, count: Int) -> Bool {
        (table == nil || table == requested) && range.overlaps(address...(address + max(count, 1) - 1))
    }
}
