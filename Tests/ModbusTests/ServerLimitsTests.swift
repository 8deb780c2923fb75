import Foundation
import Modbus
import RegisterVocabulary
import Testing

/// The Modbus server (simulate, demo) bounds what clients cost (issue 20, point 3): 1,000 idle clients once
/// cost 1,007 threads, and when descriptors ran out its accept loop spun at 95–98 % of a core.
@Suite(.serialized) struct ServerLimitsTests {
    /// Opens a plain TCP connection to 127.0.0.1:port; -1 when refused.
    static func connectRaw(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { close(fd); return -1 }
        return fd
    }

    static func waitUntil(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return condition()
    }

    @Test func clientsBeyondTheLimitAreClosedAtOnce() async throws {
        let server = ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), unitID: 1, store: RegisterStore(),
                                  limits: ModbusServerLimits(maxClients: 8))
        let port = try server.start()
        defer { server.stop() }
        var idle = (0..<40).map { _ in Self.connectRaw(port) }
        defer { for fd in idle where fd >= 0 { close(fd) } }
        #expect(await Self.waitUntil { server.statistics.connectionsAccepted + server.statistics.connectionsRefused == 40 })
        #expect(server.statistics.connectionsOpen == 8, "\(server.statistics)")
        #expect(server.statistics.connectionsRefused == 32, "\(server.statistics)")
        // A real client gets in once the idle ones are gone.
        for fd in idle where fd >= 0 { close(fd) }
        idle = []
        #expect(await Self.waitUntil { server.statistics.connectionsOpen == 0 })
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), timeouts: ModbusTimeouts(response: .milliseconds(500)))
        #expect(try await client.readHoldingRegisters(address: 0, count: 2) == [0, 0])
    }

    @Test func silentClientsAreClosedAndOurClientReconnectsUnnoticed() async throws {
        let server = ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), unitID: 1, store: RegisterStore(),
                                  limits: ModbusServerLimits(maxClients: 8, idleTimeout: .milliseconds(300)))
        let port = try server.start()
        defer { server.stop() }
        let silent = Self.connectRaw(port)
        defer { close(silent) }
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), timeouts: ModbusTimeouts(response: .milliseconds(500)))
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
        // Both connections fall silent past the idle timeout (the server looks every 0.5 s).
        #expect(await Self.waitUntil { server.statistics.connectionsIdleClosed == 2 }, "\(server.statistics)")
        // The next poll finds the connection closed before sending, reconnects, and succeeds.
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
        let statistics = await client.statistics
        #expect(statistics.errors == 0 && statistics.connects == 2, "\(statistics)")
    }
}
