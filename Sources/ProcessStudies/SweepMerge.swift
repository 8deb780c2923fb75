/// Joins the shards of one sweep (`geolith sweep --shard K/N`) into the file an unsharded run writes.
///
/// Before a row is written it checks that the shards belong to one sweep (same sweep id: plant file text,
/// overrides, varied keys, design and seed, model, point count and columns), that shards 1…N are each given
/// once, and while interleaving that every row carries the index its shard must hold and that no shard is
/// cut short or runs long.
public enum SweepMerge {
    /// What was merged.
    public struct Summary: Sendable {
        /// The first shard's metadata (every shard's agrees on the sweep).
        public var metadata: SweepMetadata
        public var rows: Int
    }

    /// Merges the shard files at `paths`, passing the merged file's bytes to `write` in order.
    ///
    /// - Throws: ``StudyError/shardMismatch`` for a foreign, missing, overlapping, truncated or corrupt shard;
    ///   ``StudyError/io`` when a file cannot be read; whatever `write` throws.
    public static func merge(_ paths: [String], write: ([UInt8]) throws -> Void) throws -> Summary {
        guard !paths.isEmpty else { throw StudyError(.invalidInput, "sweep merge: give the shard files") }
        var shards: [(reader: LineReader, metadata: SweepMetadata, header: [UInt8])] = []
        for path in paths {
            let reader = try LineReader(path: path)
            var preamble: [Substring] = []
            var header: [UInt8]?
            while let line = try reader.next() {
                if line.first == UInt8(ascii: "#") {
                    preamble.append(Substring(decoding: line, as: UTF8.self))
                } else {
                    header = line
                    break
                }
            }
            let metadata = try SweepMetadata(parsing: preamble, file: path)
            guard let header else { throw StudyError(.shardMismatch, "\(path): no CSV header after the metadata") }
            shards.append((reader, metadata, header))
        }
        let first = shards[0].metadata
        for (path, shard) in zip(paths, shards)
        where shard.metadata.sweepID != first.sweepID || shard.header != shards[0].header {
            throw StudyError(
                .shardMismatch,
                "\(path) belongs to another sweep than \(paths[0]): " + difference(first, shard.metadata))
        }
        let n = first.shard.count
        var byIndex = [Int?](repeating: nil, count: n)
        for (s, shard) in shards.enumerated() {
            let k = shard.metadata.shard.index
            guard shard.metadata.shard.count == n else {
                throw StudyError(
                    .shardMismatch, "\(paths[s]) is shard \(shard.metadata.shard) but \(paths[0]) is of \(n)")
            }
            if let other = byIndex[k - 1] {
                throw StudyError(
                    .shardMismatch, "shard \(k)/\(n) is given twice: \(paths[other]) and \(paths[s]) overlap")
            }
            byIndex[k - 1] = s
            let expected = shard.metadata.shard.pointCount(of: first.points)
            guard shard.metadata.shardRows == expected else {
                throw StudyError(
                    .shardMismatch, "\(paths[s]): shard-rows \(shard.metadata.shardRows), expected \(expected)")
            }
        }
        let missing = byIndex.indices.filter { byIndex[$0] == nil }.map { "\($0 + 1)/\(n)" }
        guard missing.isEmpty else {
            throw StudyError(.shardMismatch, "missing shard(s) \(missing.joined(separator: ", ")) of this sweep")
        }
        var out = shards[0].header + [UInt8(ascii: "\n")]
        out.reserveCapacity(1 << 20)
        for i in 0..<first.points {
            let s = byIndex[i % n]!
            let reader = shards[s].reader
            let j = i / n
            guard let line = try reader.next() else {
                throw StudyError(
                    .shardMismatch,
                    "\(paths[s]) is truncated: \(j) of its \(shards[s].metadata.shardRows) rows (was the job killed?)"
                )
            }
            let prefix = Array("\(i),".utf8)
            guard reader.lastLineTerminated, line.starts(with: prefix) else {
                throw StudyError(
                    .shardMismatch,
                    "\(paths[s]): row \(j + 1) should be point \(i)"
                        + (reader.lastLineTerminated ? "" : " (the file ends mid-row)"))
            }
            out += line
            out.append(UInt8(ascii: "\n"))
            if out.count >= 1 << 20 {
                try write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        for (s, shard) in shards.enumerated() where try shard.reader.next() != nil {
            throw StudyError(.shardMismatch, "\(paths[s]) has more rows than its \(shard.metadata.shardRows)")
        }
        try write(out)
        return Summary(metadata: first, rows: first.points)
    }

    /// What makes two shards' sweeps differ, in words.
    static func difference(_ a: SweepMetadata, _ b: SweepMetadata) -> String {
        var parts: [String] = []
        if a.plantID != b.plantID || a.plantDigest != b.plantDigest { parts.append("the plant file differs") }
        if a.settings != b.settings { parts.append("--set differs (\(a.settings) vs \(b.settings))") }
        if a.varies != b.varies { parts.append("--vary differs (\(a.varies) vs \(b.varies))") }
        if a.design != b.design { parts.append("the design differs (\(a.design) vs \(b.design))") }
        if a.model != b.model { parts.append("--model differs") }
        if a.points != b.points { parts.append("the point count differs (\(a.points) vs \(b.points))") }
        return parts.isEmpty ? "the columns differ (another geolith version?)" : parts.joined(separator: "; ")
    }
}
