import ProcessModel
import Testing

@testable import ProcessStudies

@Suite struct SweepDimensionTests {
    @Test func rangesListsWordsAndUnits() throws {
        let grid = try SweepDimension(parsing: "production.flow=180m3/h:360m3/h:4")
        #expect(grid.unit == "L/s" && grid.gridCount == 4)
        // 180 m³/h = 50 L/s, 360 m³/h = 100 L/s, in steps of 50/3 L/s.
        #expect((0..<4).map(grid.gridValue).map { ($0 * 1e6).rounded() / 1e6 } == [50, 66.666667, 83.333333, 100])
        let tenths = try SweepDimension(parsing: "dle.recovery=0.1:0.5:5")
        #expect((0..<5).map(tenths.gridValue) == [0.1, 0.2, 0.3, 0.4, 0.5], "grid values are tidy")
        let list = try SweepDimension(parsing: "brine.li=150, 170 ,0.2g/L")
        #expect(list.gridCount == 3 && list.gridValue(2) == 200)
        let words = try SweepDimension(parsing: "sorbent.type=ldh,MnOx")
        #expect(words.isChoice && words.words == ["LDH", "MnOx"] && words.columnTitle == "sorbent.type")
        let interval = try SweepDimension(parsing: "dle.columns=2:10")
        #expect(interval.gridCount == nil && interval.sampledValue(0.49) == 6)
    }

    @Test(arguments: [
        ("production.flwo=1:2:3", "did you mean production.flow"),
        ("production.flow", "expected key=from:to:steps"),
        ("production.flow=50:100:0", "steps must be a whole number ≥ 1"),
        ("production.flow=50:100:x", "steps must be a whole number ≥ 1"),
        ("production.flow=50:100:1", "one step cannot span"),
        ("production.flow=50kg:100:3", "cannot be converted to L/s"),
        ("refining.yield=0.5:1.5:3", "is outside 0...1"),
        ("sorbent.type=LDH:MnOx", "list them"),
        ("sorbent.type=LDH,Graphite", "is not one of"),
        ("dle.columns=2:9:5", "is not a whole number"),
        ("scale_inhibitor=1,2", "a note the model does not use"),
        ("brine.li=150,150", "listed twice"),
    ])
    func badVariesSayWhatIsWrong(text: String, message: String) {
        #expect {
            _ = try SweepDimension(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func plansRefuseWhatTheyCannotRun() throws {
        let interval = try SweepDimension(parsing: "production.flow=50:100")
        let steps = try SweepDimension(parsing: "production.flow=50:100:3")
        #expect(throws: StudyError.self) { try SweepPlan(dimensions: [interval], design: .grid) }
        #expect(throws: StudyError.self) {
            try SweepPlan(dimensions: [steps], design: .latinHypercube(samples: 5, seed: 1))
        }
        #expect(throws: StudyError.self) { try SweepPlan(dimensions: [steps, steps], design: .grid) }
        #expect(throws: StudyError.self) { try SweepPlan(dimensions: [], design: .grid) }
        #expect(throws: StudyError.self) {
            try SweepPlan(dimensions: [interval], design: .latinHypercube(samples: 0, seed: 1))
        }
    }

    @Test func gridIsTheCartesianProductFirstKeySlowest() throws {
        let plan = try SweepPlan(
            dimensions: [
                try SweepDimension(parsing: "brine.li=1,2"), try SweepDimension(parsing: "production.flow=10,20,30"),
            ],
            design: .grid)
        #expect(plan.count == 6)
        let points = (0..<6).map { [plan.value(point: $0, dimension: 0), plan.value(point: $0, dimension: 1)] }
        #expect(points == [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]])
        #expect(plan.gridPoint(4, moving: 1, to: 0) == 3 && plan.gridPoint(4, moving: 0, to: 0) == 1)
        #expect(plan.gridPoint(4, moving: 1, to: 3) == nil)
    }

    @Test(arguments: [("1/3", 1, 3), ("3/3", 3, 3), (" 2 / 8 ", 2, 8)])
    func shardsParse(text: String, k: Int, n: Int) throws {
        let shard = try SweepShard(parsing: text)
        #expect(shard.index == k && shard.count == n)
    }

    @Test(arguments: ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1/3/4", ""])
    func badShardsAreRefused(text: String) {
        #expect(throws: StudyError.self) { try SweepShard(parsing: text) }
    }

    @Test func shardsSplitEveryPointOnce() throws {
        for total in [0, 1, 7, 100] {
            var seen: [Int] = []
            for k in 1...3 {
                let shard = try SweepShard(parsing: "\(k)/3")
                let points = (0..<shard.pointCount(of: total)).map(shard.point)
                #expect(points.allSatisfy { shard.contains($0) && $0 < total })
                seen += points
            }
            #expect(seen.sorted() == Array(0..<total))
        }
    }
}

@Suite struct LatinHypercubeTests {
    @Test(arguments: [(1, 1), (7, 3), (100, 5), (1000, 2)])
    func eachIntervalHoldsExactlyOnePointPerDimension(count: Int, dimensions: Int) {
        let sample = LatinHypercube(count: count, dimensions: dimensions, seed: 42)
        for d in 0..<dimensions {
            let intervals = (0..<count).map { sample.interval(point: $0, dimension: d) }
            #expect(intervals.sorted() == Array(0..<count), "dimension \(d)")
            for i in 0..<count {
                let u = sample.coordinate(point: i, dimension: d)
                #expect(u >= 0 && u < 1 && Int(u * Double(count)) == intervals[i])
            }
        }
    }

    @Test func sameSeedSamePointsOtherSeedOtherPoints() {
        let a = LatinHypercube(count: 50, dimensions: 3, seed: 7)
        let b = LatinHypercube(count: 50, dimensions: 3, seed: 7)
        let c = LatinHypercube(count: 50, dimensions: 3, seed: 8)
        #expect(a == b)
        #expect(a != c)
        // Dimensions are paired by independent permutations, not the same one.
        let first = (0..<50).map { a.interval(point: $0, dimension: 0) }
        let second = (0..<50).map { a.interval(point: $0, dimension: 1) }
        #expect(first != second)
    }

    /// The generator is SplitMix64 exactly: its published first output for seed 1 (Steele et al. 2014; Java's
    /// SplittableRandom). The shuffle and bounded draw are our own code too, so a sample never changes with the
    /// platform or the Swift version.
    @Test func generatorIsSplitMix64() {
        var random = SplitMix64(seed: 1)
        #expect(random.next() == 0x910A_2DEC_8902_5CC1)
        var bounded = SplitMix64(seed: 9)
        let draws = (0..<10_000).map { _ in bounded.below(3) }
        #expect(Set(draws) == [0, 1, 2])
        #expect(draws.filter { $0 == 0 }.count > 3000 && draws.filter { $0 == 2 }.count > 3000)
    }
}
