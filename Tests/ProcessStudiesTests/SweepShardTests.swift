import Foundation
import Testing

@testable import ProcessStudies

@Suite struct SweepShardMergeTests {
    static let varies = ["production.flow=40:100:7", "dle.cycle_bed_volumes.wash=1,2,40", "brine.li=150,200"]

    /// Writes shard `k`/`n` of `varies` into `folder` and returns its path.
    static func shard(_ k: Int, of n: Int, varies: [String] = varies, in folder: URL, name: String? = nil) throws
        -> String
    {
        let text = try SweepSupport.run(
            try SweepSupport.definition(varies), jobs: 2, shard: try SweepShard(parsing: "\(k)/\(n)")
        ).text
        let path = folder.appendingPathComponent(name ?? "shard-\(k)-of-\(n).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func merge(_ paths: [String]) throws -> String {
        var bytes: [UInt8] = []
        _ = try SweepMerge.merge(paths, write: { bytes += $0 })
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [1, 3, 5, 42, 50])
    func mergedShardsEqualTheUnshardedRunByteForByte(n: Int) throws {
        let folder = try SweepSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try SweepSupport.run(try SweepSupport.definition(Self.varies), jobs: 1).text
        // Given in any order.
        let paths = try (1...n).reversed().map { try Self.shard($0, of: n, in: folder) }
        #expect(try Self.merge(paths) == whole)
        // Each shard holds only its own points, and says how many.
        let first = try String(contentsOfFile: paths.last!, encoding: .utf8)
        #expect(first.hasPrefix("# geolith-sweep-shard: 1/\(n)\n"))
        let points = SweepSupport.records(first).map { Int($0["point"]!)! }
        #expect(points == Array(stride(from: 0, to: 42, by: n)))
        #expect(first.contains("# shard-rows: \(points.count)\n"))
    }

    @Test func mergeRefusesMissingOverlappingForeignAndTruncatedShards() throws {
        let folder = try SweepSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let s1 = try Self.shard(1, of: 3, in: folder), s2 = try Self.shard(2, of: 3, in: folder)
        let s3 = try Self.shard(3, of: 3, in: folder)
        func refused(_ paths: [String], _ message: String) {
            #expect {
                _ = try Self.merge(paths)
            } throws: { error in
                guard case StudyError.shardMismatch = error else { return false }
                return "\(error)".contains(message)
            }
        }
        refused([s1, s3], "missing shard(s) 2/3")
        refused([s1, s2, s2, s3], "shard 2/3 is given twice")
        let foreign = try Self.shard(
            2, of: 3, varies: ["production.flow=40:100:7", "dle.cycle_bed_volumes.wash=1,2,40", "brine.li=150,210"],
            in: folder, name: "foreign.csv")
        refused([s1, foreign, s3], "belongs to another sweep")
        let otherSplit = try Self.shard(2, of: 4, in: folder)
        refused([s1, otherSplit, s3], "is shard 2/4")
        // A shard cut short at a row boundary, and one cut mid-row (a job killed while writing).
        let text = try String(contentsOfFile: s2, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let short = folder.appendingPathComponent("short.csv").path
        try (lines.dropLast(3).joined(separator: "\n") + "\n").write(toFile: short, atomically: true, encoding: .utf8)
        refused([s1, short, s3], "truncated")
        let cut = folder.appendingPathComponent("cut.csv").path
        try String(text.dropLast(40)).write(toFile: cut, atomically: true, encoding: .utf8)
        refused([s1, cut, s3], "ends mid-row")
        // A row edited into another shard's point.
        let edited = folder.appendingPathComponent("edited.csv").path
        try text.replacing("\n4,", with: "\n5,").write(toFile: edited, atomically: true, encoding: .utf8)
        refused([s1, edited, s3], "should be point 4")
        // An unsharded file is no shard.
        let plain = folder.appendingPathComponent("plain.csv").path
        try SweepSupport.run(try SweepSupport.definition(Self.varies)).text.write(
            toFile: plain, atomically: true, encoding: .utf8)
        refused([plain, s2, s3], "not a sweep shard")
        #expect(try Self.merge([s3, s1, s2]).isEmpty == false)
    }
}
