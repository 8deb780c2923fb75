import Foundation
import Logging
import Monitor
import MonitorServer
import ServiceLifecycle
import Testing

/// The HTTP server on a real socket with short limits (issue 20, points 3 and 5): silent and slow connections are
/// closed at the header timeout, idle keep-alives at the idle timeout, a flood of idle connections never locks
/// out a request, a chunked body over the limit gets 413 and a closed connection, live streams are limited in
/// number and a stalled one is disconnected.
@Suite(.serialized) struct HTTPLimitsTests {
    /// The application on 127.0.0.1, port 0, running until `stop()`.
    final class Server: Sendable {
        let port: Int
        let state: MonitorState
        private let group: ServiceGroup
        private let task: Task<Void, any Error>

        init(_ configure: (inout HTTPConfiguration) -> Void = { _ in }) async throws {
            state = try MonitorServerTests.state()
            var configuration = HTTPConfiguration(host: "127.0.0.1", port: 0)
            configure(&configuration)
            var logger = Logger(label: "limits")
            logger.logLevel = .critical
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = buildApplication(state: state, configuration: configuration) { continuation.yield($0); continuation.finish() }
            group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            task = Task { [group] in try await group.run() }
            var bound = 0
            for await port in ports { bound = port }
            port = bound
        }

        func stop() async {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
        }
    }

    /// A plain TCP connection with a receive timeout.
    struct Connection {
        let fd: Int32

        init?(_ port: Int, receiveBuffer: Int32? = nil) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if result != 0 { Foundation.close(fd); return nil }
        }

        @discardableResult
        func send(_ text: String) -> Bool { text.withCString { Foundation.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } > 0 }

        /// What arrives within 200 ms: text, "" when nothing came, nil when the server closed the connection.
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return nil }
            if count < 0 { return (errno == EAGAIN || errno == EWOULDBLOCK) ? "" : nil }
            return String(decoding: buffer[0..<count], as: UTF8.self)
        }

        /// Reads until the server closes the connection or `seconds` pass; the time it took, or nil.
        func waitForClose(_ seconds: Double) -> Double? {
            let start = Date()
            while Date().timeIntervalSince(start) < seconds {
                if receive() == nil { return Date().timeIntervalSince(start) }
            }
            return nil
        }

        func close() { Foundation.close(fd) }
    }

    @Test func silentAndSlowClientsAreClosedAtTheHeaderTimeout() async throws {
        let server = try await Server { $0.headerTimeout = .milliseconds(500); $0.idleTimeout = .seconds(1) }
        defer { Task { await server.stop() } }
        let silent = try #require(Connection(server.port))
        defer { silent.close() }
        let closed = silent.waitForClose(5)
        #expect(closed != nil && closed! < 2, "a connection that says nothing: closed after \(String(describing: closed)) s")
        // Slowloris: a header byte every 100 ms never completes the head in time.
        let slow = try #require(Connection(server.port))
        defer { slow.close() }
        var sent = 0
        let start = Date()
        for byte in "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".map(String.init) {
            guard slow.send(byte), slow.receive() != nil else { break }
            sent += 1
        }
        #expect(sent < 60 && Date().timeIntervalSince(start) < 5, "slow client sent \(sent) bytes over \(Date().timeIntervalSince(start)) s")
        // Keep-alive: a request, then silence: closed at the idle timeout.
        let idle = try #require(Connection(server.port))
        defer { idle.close() }
        idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        var answer = ""
        while !answer.contains("\"ok\""), let part = idle.receive() { answer += part; if part.isEmpty && answer.count > 0 { break } }
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        let idleClosed = idle.waitForClose(5)
        #expect(idleClosed != nil && idleClosed! > 0.5, "idle keep-alive closed after \(String(describing: idleClosed)) s")
    }

    @Test func aFloodOfIdleConnectionsNeverLocksOutARequest() async throws {
        let server = try await Server { $0.maxConnections = 32; $0.headerTimeout = .seconds(30) }
        defer { Task { await server.stop() } }
        let idle = (0..<200).compactMap { _ in Connection(server.port) }
        defer { for connection in idle { connection.close() } }
        #expect(idle.count > 32, "\(idle.count) connections opened")
        // A real request gets in (an idle connection makes room) and is answered promptly.
        let start = Date()
        let client = try #require(Connection(server.port))
        defer { client.close() }
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        var answer = ""
        while Date().timeIntervalSince(start) < 10, !answer.contains("\"ok\""), let part = client.receive() { answer += part }
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(100))")
        #expect(Date().timeIntervalSince(start) < 5)
        // Most idle connections were closed to make room: at most the limit stay open.
        let open = idle.filter { $0.receive() == "" }.count
        #expect(open <= 32, "\(open) idle connections still open")
    }

    @Test func aChunkedBodyOverTheLimitIsRefusedAndTheConnectionClosed() async throws {
        let server = try await Server()
        defer { Task { await server.stop() } }
        let client = try #require(Connection(server.port))
        defer { client.close() }
        client.send("POST /api/v1/alarms/x/ack HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = "4000\r\n" + String(repeating: "a", count: 0x4000) + "\r\n"
        var sent = 0, answer = ""
        // Up to 20 MB; the server answers 413 after 16 KiB and closes, so sending stops far earlier.
        while sent < 20_000_000, client.send(chunk) {
            sent += 0x4000
            if let part = client.receive(), !part.isEmpty { answer += part; break }
        }
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
        #expect(answer.contains("request body over 16384 bytes"))
        #expect(client.waitForClose(5) != nil, "the connection is closed, the rest of the body unread")
        #expect(sent < 2_000_000, "sent \(sent) bytes before the refusal")
    }

    @Test func liveStreamsAreLimitedAndAStalledOneIsDisconnected() async throws {
        let server = try await Server { $0.maxStreamClients = 1; $0.streamStallTimeout = .milliseconds(500) }
        defer { Task { await server.stop() } }
        // A client that never reads, with a small receive window.
        let stalled = try #require(Connection(server.port, receiveBuffer: 4096))
        defer { stalled.close() }
        stalled.send("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(200))
        let second = try #require(Connection(server.port))
        defer { second.close() }
        second.send("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        var refusal = ""
        while !refusal.contains("}"), let part = second.receive(), !(part.isEmpty && !refusal.isEmpty) { refusal += part }
        #expect(refusal.hasPrefix("HTTP/1.1 503") && refusal.contains("live clients"), "\(refusal.prefix(300))")
        // Updates pour in until the stalled client's buffers are full; the watchdog then frees its place.
        let payload = String(repeating: "x", count: 1000)
        var freed = false
        let deadline = Date().addingTimeInterval(20)
        while !freed, Date() < deadline {
            for _ in 0..<2000 { server.state.feed.publish(.kpi(.marker("pad", label: payload))) }
            try await Task.sleep(for: .milliseconds(50))
            let probe = try #require(Connection(server.port))
            probe.send("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n")
            var head = ""
            while head.count < 12, let part = probe.receive(), !part.isEmpty { head += part }
            freed = head.hasPrefix("HTTP/1.1 200")
            probe.close()
        }
        #expect(freed, "the stalled stream was never disconnected")
    }
}
