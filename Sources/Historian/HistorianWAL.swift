import Foundation

/// What a historian's write-ahead log (`FILE-wal`) holds, read before SQLite opens it.
///
/// SQLite replays the WAL's frames in order up to the first one whose salt or checksum is wrong and silently
/// drops the rest: it cannot tell a frame torn by a crash from one damaged later. 369 of 584 recent rows once
/// vanished that way without a word. A torn frame can only be the last transaction's, which was never
/// committed; so when frames of the same WAL generation (its salts) that end a transaction (a commit frame)
/// follow the first bad frame, committed data would be lost, and ``isDamaged`` says so before anything opens
/// the file. The format is SQLite's (docs/sources.md, "SQLite WAL format"): a 32-byte header, then frames of a
/// 24-byte header and one page, with a running Fletcher-like checksum in the byte order the magic number names.
public struct HistorianWAL: Sendable, Hashable {
    /// Bytes in the file.
    public var size: Int
    public var pageSize: Int
    /// Frames SQLite will replay (valid, up to the last commit frame before any damage).
    public var validFrames: Int
    /// Frames in the file (whole ones).
    public var frames: Int
    /// Frames of this WAL generation after the first invalid one, and how many of them end a transaction.
    public var framesAfterDamage: Int
    public var commitsAfterDamage: Int
    /// The header itself is unreadable (wrong magic or checksum) while frames follow it.
    public var headerDamaged: Bool

    /// Whether committed transactions would be lost: frames that end transactions follow a damaged frame, or
    /// the header is damaged with frames after it.
    public var isDamaged: Bool { commitsAfterDamage > 0 || (headerDamaged && frames > 0) }

    /// Reads the WAL beside `database` (`database + "-wal"`); `nil` when there is none or it is empty.
    public static func inspect(database: String) throws -> HistorianWAL? {
        let path = database + "-wal"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        guard data.count >= 32 else { return nil }
        return data.withUnsafeBytes { inspect(UnsafeRawBufferPointer($0)) }
    }

    /// Reads a WAL held in memory.
    public static func inspect(_ bytes: UnsafeRawBufferPointer) -> HistorianWAL {
        func u32(_ offset: Int) -> UInt32 {
            UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
        }
        var wal = HistorianWAL(size: bytes.count, pageSize: 0, validFrames: 0, frames: 0, framesAfterDamage: 0,
                               commitsAfterDamage: 0, headerDamaged: false)
        guard bytes.count >= 32 else { return wal }
        let magic = u32(0)
        let pageSize = Int(u32(8))
        let validPageSize = pageSize >= 512 && pageSize <= 65536 && pageSize & (pageSize - 1) == 0
        // Frames counted with the page size the header gives, or SQLite's default if it is unreadable.
        let frameSize = 24 + (validPageSize ? pageSize : 4096)
        wal.pageSize = validPageSize ? pageSize : 0
        wal.frames = (bytes.count - 32) / frameSize
        guard magic & 0xFFFF_FFFE == 0x377F_0682, validPageSize else {
            wal.headerDamaged = true
            return wal
        }
        let bigEndian = magic & 1 == 1
        var checksum = Checksum(bigEndian: bigEndian)
        checksum.add(UnsafeRawBufferPointer(rebasing: bytes[0..<24]))
        guard checksum.s0 == u32(24), checksum.s1 == u32(28) else {
            wal.headerDamaged = true
            return wal
        }
        let salts = (u32(16), u32(20))
        var damaged = false
        for frame in 0..<wal.frames {
            let start = 32 + frame * frameSize
            let sameGeneration = (u32(start + 8), u32(start + 12)) == salts
            let isCommit = u32(start + 4) != 0
            if damaged {
                if sameGeneration {
                    wal.framesAfterDamage += 1
                    if isCommit { wal.commitsAfterDamage += 1 }
                }
                continue
            }
            var next = checksum
            next.add(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 8)]))
            next.add(UnsafeRawBufferPointer(rebasing: bytes[(start + 24)..<(start + frameSize)]))
            guard sameGeneration, next.s0 == u32(start + 16), next.s1 == u32(start + 20) else {
                damaged = true
                continue
            }
            checksum = next
            if isCommit { wal.validFrames = frame + 1 }
        }
        return wal
    }

    /// SQLite's WAL checksum: over 32-bit words two at a time, s0 += x0 + s1, s1 += x1 + s0 (wrapping).
    struct Checksum {
        var s0: UInt32 = 0
        var s1: UInt32 = 0
        let bigEndian: Bool

        init(bigEndian: Bool) { self.bigEndian = bigEndian }

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var offset = 0
            while offset + 8 <= bytes.count {
                let x0 = word(bytes, offset), x1 = word(bytes, offset + 4)
                s0 = s0 &+ x0 &+ s1
                s1 = s1 &+ x1 &+ s0
                offset += 8
            }
        }

        private func word(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
            let b = (UInt32(bytes[offset]), UInt32(bytes[offset + 1]), UInt32(bytes[offset + 2]), UInt32(bytes[offset + 3]))
            return bigEndian ? b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3 : b.3 << 24 | b.2 << 16 | b.1 << 8 | b.0
        }
    }
}
