import Foundation
public import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Returns the free memory that glibc's allocator holds inside its heaps to the system, once a minute
/// (`malloc_trim(0)`), for the long-running commands (`monitor`, `demo`, `bench monitor`).
///
/// Why: the monitor's memory in use stays flat, but each time the historian's flush falls behind (another
/// process writing to the disk, a slow fsync) the batches waiting for it grow, and the blocks freed afterwards
/// stay in glibc's arenas, which give memory back only from the top of a heap, so the resident set ratchets up.
/// `malloc_trim` releases the whole pages of free chunks in every arena (`madvise(MADV_DONTNEED)`; glibc ≥ 2.8),
/// so a backlog's peak does not stay resident. Limiting the arenas alone was not enough; the commands do both
/// (``configureAllocator()``). The soak figures behind this are in CHANGELOG.md ("Monitor memory").
///
/// Only the executable changes how the process allocates [STYLE: Module boundaries]. Where `malloc_trim`
/// does not exist (another libc) the service does nothing.
public struct HeapTrimmer: Service {
    public var interval: Duration = .seconds(60)

    public init(interval: Duration = .seconds(60)) {
        self.interval = interval
    }

    /// Sets glibc's allocator for a long-running command: call it first thing, before its threads allocate.
    ///
    /// - Two malloc arenas (`M_ARENA_MAX=2`, as `MALLOC_ARENA_MAX=2` would): glibc's 16 (8 per core) held more
    ///   free memory after each stall, at no gain in throughput.
    /// - A fixed mmap threshold of 128 KiB (`M_MMAP_THRESHOLD`, glibc's initial value). glibc raises the threshold
    ///   each time a block it had mapped is freed, so after the first large batch array was freed, the next ones
    ///   came from the heap and their space stayed there. Fixed, every block of 128 KiB or more is mapped and goes
    ///   back to the system when freed.
    ///
    /// The measurements of both are in CHANGELOG.md ("Monitor memory").
    public static func configureAllocator() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-8, 2)             // M_ARENA_MAX is -8 in glibc's malloc.h
        _ = mallopt(-3, 128 * 1024)    // M_MMAP_THRESHOLD is -3
        #endif
    }

    /// Returns free heap memory to the system now (after a rejected reload, say).
    public static func trimNow() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }

    public func run() async throws {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: MallocTrim.self)
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    _ = trim(0)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        #endif
    }
}
