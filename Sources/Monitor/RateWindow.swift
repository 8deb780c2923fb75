/// Sums of the rate KPIs' inputs over a sliding window: one DLE cycle once a cycle has been observed (the process
/// repeats with it, so its mean is the cycle average the estimate gives), since the start until then.
///
/// Increments go into buckets of ``bucket`` milliseconds; the window sums the last complete buckets that make up
/// the cycle, kept as a running sum so a tick costs a few additions whatever the window's length.
struct RateWindow: Sendable {
    /// What is integrated: Li (kg), product (kg), fresh water (m³), energy (kWh), and the hours each had inputs.
    struct Sums: Sendable, Hashable {
        var brineLithium = 0.0, raffinateLithium = 0.0, dleHours = 0.0
        var product = 0.0, productHours = 0.0
        var freshWater = 0.0, freshWaterProduct = 0.0
        var energy = 0.0, energyProduct = 0.0

        static func + (a: Sums, b: Sums) -> Sums {
            Sums(
                brineLithium: a.brineLithium + b.brineLithium,
                raffinateLithium: a.raffinateLithium + b.raffinateLithium,
                dleHours: a.dleHours + b.dleHours, product: a.product + b.product,
                productHours: a.productHours + b.productHours,
                freshWater: a.freshWater + b.freshWater, freshWaterProduct: a.freshWaterProduct + b.freshWaterProduct,
                energy: a.energy + b.energy, energyProduct: a.energyProduct + b.energyProduct)
        }

        static func - (a: Sums, b: Sums) -> Sums {
            Sums(
                brineLithium: a.brineLithium - b.brineLithium,
                raffinateLithium: a.raffinateLithium - b.raffinateLithium,
                dleHours: a.dleHours - b.dleHours, product: a.product - b.product,
                productHours: a.productHours - b.productHours,
                freshWater: a.freshWater - b.freshWater, freshWaterProduct: a.freshWaterProduct - b.freshWaterProduct,
                energy: a.energy - b.energy, energyProduct: a.energyProduct - b.energyProduct)
        }
    }

    /// Bucket width, ms, and the most buckets kept (a day at 10 s: longer cycles are averaged over a day).
    static let bucket: Int64 = 10_000
    static let capacity = 8_640

    private var ring: [Sums] = []
    private var head = 0  // next slot to write
    private var filled = 0  // complete buckets in the ring
    private var currentIndex: Int64?  // bucket being filled
    private var current = Sums()
    /// Buckets the window covers (nil: everything since the start), and their running sum.
    private var length: Int?
    private var windowSum = Sums()
    /// Pushes since the running sum was last added up afresh (which bounds its rounding drift).
    private var pushes = 0
    /// Everything since the start, for the time before a cycle is known.
    private(set) var total = Sums()

    /// Adds increments made at `time`.
    mutating func add(_ increments: Sums, at time: Int64) {
        let index = time / Self.bucket
        if let open = currentIndex, index > open {
            push(current)
            // Buckets the monitor skipped (no tick in them) count as empty.
            for _ in 0..<min(index - open - 1, Int64(Self.capacity)) { push(Sums()) }
            current = Sums()
        }
        currentIndex = index
        current = current + increments
        total = total + increments
    }

    /// Sets the window to `milliseconds` (a cycle), or since the start with `nil`.
    mutating func setLength(_ milliseconds: Int64?) {
        let buckets = milliseconds.map { min(Self.capacity, max(1, Int(($0 + Self.bucket / 2) / Self.bucket))) }
        guard buckets != length else { return }
        length = buckets
        windowSum = Sums()
        guard let buckets else { return }
        for back in 0..<min(buckets, filled) { windowSum = windowSum + ring[slot(back)] }
    }

    /// The window's sums: one cycle of complete buckets once a length is set (and filled), else everything.
    var sums: Sums { length == nil ? total : windowSum }
    /// Whether the window holds a whole cycle.
    var isFull: Bool { length.map { filled >= $0 } ?? false }

    private func slot(_ back: Int) -> Int { (head - 1 - back + 2 * Self.capacity) % Self.capacity }

    private mutating func push(_ sums: Sums) {
        if ring.isEmpty { ring = Array(repeating: Sums(), count: Self.capacity) }
        if let length, filled >= length { windowSum = windowSum - ring[slot(length - 1)] }
        ring[head] = sums
        head = (head + 1) % Self.capacity
        filled = min(filled + 1, Self.capacity)
        if let length {
            windowSum = windowSum + sums
            pushes += 1
            if pushes >= Self.capacity {
                pushes = 0
                windowSum = Sums()
                for back in 0..<min(length, filled) { windowSum = windowSum + ring[slot(back)] }
            }
        }
    }
}
