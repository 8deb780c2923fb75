import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's memory as the kernel and glibc's allocator see it, for the monitor's soak benchmark.
///
/// glibc's `<malloc.h>` (`mallinfo2`, `malloc_info`) is not part of Swift's Glibc module, so `malloc_info` is
/// looked up with `dlsym`; where it is missing (another libc) the heap figures are nil.
public enum ProcessMemory {
    /// Resident memory from `/proc/self/status`, MB: the total and its anonymous part (heap, stacks; the
    /// rest is mapped files: code, libraries, SQLite's shared-memory index); and the number of threads.
    public struct Resident {
        public var total: Double
        public var anonymous: Double
        public var threads: Int
    }

    /// The allocator's view (glibc `malloc_info`), MB.
    public struct Heap {
        /// Arenas: the main one plus one per thread that contended for it (glibc's default allows 8 per core).
        public var arenas: Int
        /// Memory glibc holds from the system, mmapped blocks included.
        public var system: Double
        /// Of that, free chunks kept in the arenas' bins (fast and regular), not returned to the system.
        public var free: Double
        /// In use by the program: `system − free`.
        public var inUse: Double { system - free }
    }

    public static func resident() -> Resident {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return Resident(total: 0, anonymous: 0, threads: 0)
        }
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let number = Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") else {
                return 0
            }
            return number
        }
        return Resident(total: field("VmRSS") / 1024, anonymous: field("RssAnon") / 1024,
                        threads: Int(field("Threads")))
    }

    public static func heap() -> Heap? {
        #if canImport(Glibc)
        typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        guard let symbol = dlsym(nil, "malloc_info") else { return nil }
        let mallocInfo = unsafeBitCast(symbol, to: MallocInfo.self)
        var buffer: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let stream = open_memstream(&buffer, &size) else { return nil }
        let status = mallocInfo(0, stream)
        fclose(stream)
        defer { free(buffer) }
        guard status == 0, let buffer else { return nil }
        return parse(String(cString: buffer))
        #else
        return nil
        #endif
    }

    /// The totals of `malloc_info`'s XML: the `<total>` and `<system>` elements after the last `</heap>`.
    public static func parse(_ xml: String) -> Heap? {
        let arenas = xml.components(separatedBy: "<heap nr=").count - 1
        guard let range = xml.range(of: "</heap>", options: .backwards) else { return nil }
        var free = 0.0, mmapped = 0.0, system = 0.0
        for line in xml[range.upperBound...].split(separator: "\n") {
            guard let open = line.range(of: "size=\""), let close = line[open.upperBound...].firstIndex(of: "\""),
                  let bytes = Double(line[open.upperBound..<close]) else { continue }
            if line.contains("type=\"fast\"") || line.contains("type=\"rest\"") { free += bytes }
            if line.contains("<total type=\"mmap\"") { mmapped = bytes }
            if line.contains("<system type=\"current\"") { system = bytes }
        }
        return Heap(arenas: arenas, system: (system + mmapped) / 1_048_576, free: free / 1_048_576)
    }
}
