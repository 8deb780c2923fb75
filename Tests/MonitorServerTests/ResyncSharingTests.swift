import Foundation
import Monitor
@testable import MonitorServer
import NIOCore
import Testing

/// Clients that fall behind together share one resync snapshot (issue 20's hostile soak: 64 stalled or slow
/// clients each building a 300 KB snapshot of a 2,000-tag plant took the monitor's resident set 70–400 MB over its
/// baseline), but never one that misses an update they need, nor one from a state a reload replaced.
@Suite struct ResyncSharingTests {
    @Test func clientsThatFellBehindTogetherShareOneSnapshot() throws {
        let state = try MonitorServerTests.state()
        let streams = LiveStreams(HTTPConfiguration())
        for i in 0..<100 { state.feed.publish(.kpi(.marker("i\(i)"))) }
        let (first, event) = streams.resync(state, covering: 60)
        #expect(first == 100, "a new snapshot stands for the last update published")
        let text = String(buffer: event)
        #expect(text.hasPrefix("id: 100\nevent: resync\ndata: {\"sequence\":100,") && text.hasSuffix("]}\n\n"), "\(text.prefix(80))")
        // Another client that needs every update up to 99 gets the same bytes, built once.
        let (second, shared) = streams.resync(state, covering: 99)
        #expect(second == 100 && shared == event)
        #expect(shared.withUnsafeReadableBytes { $0.baseAddress } == event.withUnsafeReadableBytes { $0.baseAddress },
                "the buffer is shared, not copied")
    }

    @Test func aSnapshotThatMissesANeededUpdateIsBuiltAgain() throws {
        let state = try MonitorServerTests.state()
        let streams = LiveStreams(HTTPConfiguration())
        for i in 0..<10 { state.feed.publish(.kpi(.marker("i\(i)"))) }
        #expect(streams.resync(state, covering: 9).0 == 10)
        for i in 0..<5 { state.feed.publish(.kpi(.marker("j\(i)"))) }
        // Update 12 is not in the snapshot of 10: a client that missed it gets a new one.
        #expect(streams.resync(state, covering: 12).0 == 15)
        #expect(streams.resync(state, covering: 11).0 == 15, "and the newer one is kept for those behind it")
    }

    @Test func aReloadedStateNeverGetsTheOldStatesSnapshot() throws {
        let old = try MonitorServerTests.state(), new = try MonitorServerTests.state()
        let streams = LiveStreams(HTTPConfiguration())
        for i in 0..<50 { old.feed.publish(.kpi(.marker("i\(i)"))) }
        #expect(streams.resync(old, covering: 49).0 == 50)
        // The new state's sequence numbers start again at 1: the old snapshot (50 ≥ 2) must not be served.
        new.feed.publish(.kpi(.marker("n1")))
        new.feed.publish(.kpi(.marker("n2")))
        let (sequence, event) = streams.resync(new, covering: 1)
        #expect(sequence == 2 && String(buffer: event).hasPrefix("id: 2\n"))
    }
}
