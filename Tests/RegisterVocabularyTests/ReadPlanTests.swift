import RegisterVocabulary
import Testing

/// The read planner: limits respected, every item read whole, and the fewest requests.
@Suite struct ReadPlanTests {
    @Test func eachTableIsReadByItsFunctionCode() {
        #expect(RegisterTable.allCases.map(\.readFunction) == [1, 2, 3, 4])
    }

    @Test func adjacentItemsShareOneRequest() {
        let items = (0..<10).map { ReadItem(table: .holding, address: 100 + 2 * $0, count: 2) }
        let plan = ReadPlan(items: items)
        #expect(plan.requests.count == 1)
        #expect(plan.requests[0].address == 100 && plan.requests[0].count == 20 && plan.registersBridged == 0)
        check(plan, items, ReadLimits())
    }

    @Test func sparseItemsBridgeOnlyUpToMaxGap() {
        let items = [ReadItem(table: .input, address: 0, count: 2), ReadItem(table: .input, address: 10, count: 2),
                     ReadItem(table: .input, address: 100, count: 1)]
        #expect(ReadPlan(items: items).requests.count == 1)
        #expect(ReadPlan(items: items).registersBridged == 96) // 101 read, 5 used
        let strict = ReadLimits(maxGap: 0)
        #expect(ReadPlan(items: items, limits: strict).requests.count == 3)
        let some = ReadLimits(maxGap: 8)
        let plan = ReadPlan(items: items, limits: some)
        #expect(plan.requests.count == 2 && plan.registersBridged == 8)
        check(plan, items, some)
    }

    @Test func oversizedSetsSplitAtTheLimit() {
        let items = (0..<200).map { ReadItem(table: .holding, address: $0 * 2, count: 2) } // 400 registers
        let plan = ReadPlan(items: items)
        #expect(plan.requests.count == 4) // 62 floats (124 registers) per request: ceil(200 / 62)
        check(plan, items, ReadLimits())
        let small = ReadLimits(maxRegisters: 16)
        #expect(ReadPlan(items: items, limits: small).requests.count == 25)
        let bits = (0..<4500).map { ReadItem(table: .coil, address: $0, count: 1) }
        let bitPlan = ReadPlan(items: bits)
        #expect(bitPlan.requests.count == 3 && bitPlan.requests.allSatisfy { $0.count <= 2000 })
    }

    @Test func overlappingItemsAreReadOnce() {
        let items = [ReadItem(table: .holding, address: 10, count: 4), ReadItem(table: .holding, address: 12, count: 2),
                     ReadItem(table: .holding, address: 10, count: 1)]
        let plan = ReadPlan(items: items)
        #expect(plan.requests.count == 1 && plan.requests[0].count == 4 && plan.registersBridged == 0)
        check(plan, items, ReadLimits())
    }

    @Test func tablesAreNeverMixed() {
        let items = [ReadItem(table: .holding, address: 0, count: 1), ReadItem(table: .input, address: 1, count: 1),
                     ReadItem(table: .coil, address: 0, count: 1), ReadItem(table: .discreteInput, address: 0, count: 1)]
        let plan = ReadPlan(items: items)
        #expect(plan.requests.count == 4)
        check(plan, items, ReadLimits())
    }

    @Test func emptySetPlansNothing() {
        #expect(ReadPlan(items: []).requests.isEmpty)
    }

    /// Random small sets against an exhaustive search over every partition of the items.
    @Test func greedyIsMinimalAgainstExhaustiveSearch() {
        var generator = SplitMix64(seed: 42)
        for trial in 0..<400 {
            let n = Int.random(in: 1...7, using: &generator)
            let limits = ReadLimits(maxRegisters: Int.random(in: 4...12, using: &generator),
                                    maxGap: Bool.random(using: &generator) ? nil : Int.random(in: 0...3, using: &generator))
            let items = (0..<n).map { _ in
                ReadItem(table: .holding, address: Int.random(in: 0...30, using: &generator),
                         count: Int.random(in: 1...min(4, limits.maxRegisters), using: &generator))
            }
            let plan = ReadPlan(items: items, limits: limits)
            check(plan, items, limits)
            let best = minimalRequestCount(items, limits)
            #expect(plan.requests.count == best, "trial \(trial): \(items) \(limits) planned \(plan.requests.count), optimum \(best)")
        }
    }

    /// Every item is inside exactly one request, whole; counts and gaps respect the limits.
    func check(_ plan: ReadPlan, _ items: [ReadItem], _ limits: ReadLimits, sourceLocation: SourceLocation = #_sourceLocation) {
        var seen = [Int](repeating: 0, count: items.count)
        for request in plan.requests {
            #expect(request.count <= limits.maxCount(for: request.table), sourceLocation: sourceLocation)
            for index in request.items {
                seen[index] += 1
                let item = items[index]
                #expect(item.table == request.table && item.address >= request.address
                        && item.end <= request.address + request.count, sourceLocation: sourceLocation)
            }
            #expect(largestGap(request.items.map { items[$0] }) <= (limits.maxGap ?? .max), sourceLocation: sourceLocation)
        }
        #expect(seen.allSatisfy { $0 == 1 }, sourceLocation: sourceLocation)
    }

    func largestGap(_ members: [ReadItem]) -> Int {
        let sorted = members.sorted { $0.address < $1.address }
        var end = sorted.first?.address ?? 0
        var gap = 0
        for item in sorted {
            gap = max(gap, item.address - end)
            end = max(end, item.end)
        }
        return gap
    }

    func blockIsValid(_ members: [ReadItem], _ limits: ReadLimits) -> Bool {
        guard let start = members.map(\.address).min(), let end = members.map(\.end).max() else { return true }
        return end - start <= limits.maxRegisters && largestGap(members) <= (limits.maxGap ?? .max)
    }

    /// The fewest blocks over all set partitions (restricted growth strings).
    func minimalRequestCount(_ items: [ReadItem], _ limits: ReadLimits) -> Int {
        var best = items.count
        var assignment = [Int](repeating: 0, count: items.count)
        func search(_ index: Int, _ blocks: Int) {
            if blocks >= best { return }
            if index == items.count {
                let groups = (0..<blocks).map { block in items.indices.filter { assignment[$0] == block }.map { items[$0] } }
                if groups.allSatisfy({ blockIsValid($0, limits) }) { best = blocks }
                return
            }
            for block in 0...blocks {
                assignment[index] = block
                search(index + 1, max(blocks, block + 1))
            }
        }
        search(0, 0)
        return best
    }
}
