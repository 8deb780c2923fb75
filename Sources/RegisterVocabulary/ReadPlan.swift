/// One value to read: a span of registers (or bits) in one table, e.g. the registers of one tag.
public struct ReadItem: Sendable, Hashable {
    public var table: RegisterTable
    /// First register (or bit), 0-based protocol address.
    public var address: Int
    /// Registers (or bits) the value occupies.
    public var count: Int

    public init(table: RegisterTable, address: Int, count: Int) {
        self.table = table
        self.address = address
        self.count = count
    }

    public var end: Int { address + count }
}

/// What a device accepts in one read request.
public struct ReadLimits: Sendable, Hashable {
    /// Registers per FC3/FC4 request: at most 125 (Modbus spec, MAX_RD_REG 0x7D; docs/sources.md §5.2).
    public static let protocolMaxRegisters = 125
    /// Bits per FC1/FC2 request: at most 2000 (Modbus spec).
    public static let protocolMaxBits = 2000

    public var maxRegisters: Int
    public var maxBits: Int
    /// The largest run of unused registers (or bits) a request may read to join two values. `nil` bridges
    /// any gap that fits the size limits (fewest requests); 0 reads only contiguous values, for devices that
    /// answer an exception when a request touches an undefined register.
    public var maxGap: Int?

    public init(maxRegisters: Int = protocolMaxRegisters, maxBits: Int = protocolMaxBits, maxGap: Int? = nil) {
        precondition((1...Self.protocolMaxRegisters).contains(maxRegisters), "maxRegisters must be 1...125")
        precondition((1...Self.protocolMaxBits).contains(maxBits), "maxBits must be 1...2000")
        precondition((maxGap ?? 0) >= 0, "maxGap must not be negative")
        self.maxRegisters = maxRegisters
        self.maxBits = maxBits
        self.maxGap = maxGap
    }

    public func maxCount(for table: RegisterTable) -> Int { table.isBitTable ? maxBits : maxRegisters }
}

/// One Modbus read request of a plan and the items it serves.
public struct ReadRequest: Sendable, Hashable {
    public var table: RegisterTable
    public var address: Int
    public var count: Int
    /// Indices into the planned items, in address order.
    public var items: [Int]
    /// Registers (or bits) read that no item needs.
    public var bridged: Int

    /// Where item `index` starts inside this request's answer.
    public func offset(of item: ReadItem) -> Int { item.address - address }

    /// `holding 100…109`: the block a request reads, for messages and alarm names.
    public var label: String { "\(table.rawValue) \(address)…\(address + count - 1)" }
}

/// The requests that read a set of items: the fewest that cover every item whole, within the limits.
public struct ReadPlan: Sendable, Hashable {
    public var requests: [ReadRequest]
    /// Registers (or bits) read in total, bridged ones included.
    public var registersRead: Int { requests.reduce(0) { $0 + $1.count } }
    /// Registers (or bits) read that no item needs.
    public var registersBridged: Int { requests.reduce(0) { $0 + $1.bridged } }

    /// Plans the reads of `items`.
    ///
    /// Each item is read whole by one request, so a multi-register value is never torn across two
    /// requests. Per table, items are taken in address order: a request starts at the first item not yet
    /// covered and takes every later item that ends within the size limit and does not leave a gap larger
    /// than `maxGap`. Any plan must start a request at that first item, and the greedy request covers a
    /// superset of what any other request starting there could, so the count is minimal (checked
    /// against exhaustive search in the tests).
    ///
    /// - Precondition: every item has a count between 1 and the table's limit and lies within 0...65535.
    public init(items: [ReadItem], limits: ReadLimits = ReadLimits()) {
        var requests: [ReadRequest] = []
        for table in RegisterTable.allCases {
            let maxCount = limits.maxCount(for: table)
            var pending = items.indices.filter { items[$0].table == table }
            pending.sort { (items[$0].address, items[$0].end) < (items[$1].address, items[$1].end) }
            for index in pending {
                let item = items[index]
                precondition(item.count >= 1 && item.count <= maxCount, "item of \(item.count) exceeds the request limit \(maxCount)")
                precondition(item.address >= 0 && item.end <= 65536, "item outside the address space")
            }
            while let first = pending.first {
                let start = items[first].address
                var members: [Int] = []
                var rest: [Int] = []
                var coveredEnd = start
                var used = 0
                var stopped = false
                for index in pending {
                    let item = items[index]
                    if stopped || item.end - start > maxCount {
                        rest.append(index)
                        continue
                    }
                    if let maxGap = limits.maxGap, item.address - coveredEnd > maxGap {
                        // Items are sorted by address: no later item can close this gap either.
                        stopped = true
                        rest.append(index)
                        continue
                    }
                    used += max(0, item.end - max(item.address, coveredEnd))
                    coveredEnd = max(coveredEnd, item.end)
                    members.append(index)
                }
                requests.append(ReadRequest(table: table, address: start, count: coveredEnd - start,
                                            items: members, bridged: coveredEnd - start - used))
                pending = rest
            }
        }
        self.requests = requests
    }
}
