import Foundation
import Testing

/// `geolith simulate` under a file limit of 64 with 200 clients connecting: its accept loop once spun at 95–98 % of
/// a core when `accept` failed with EMFILE (a pending connection keeps the listening socket readable). It now
/// backs off, and serves again once the clients leave.
@Suite(.serialized) struct SimulatorDescriptorTests {
    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length); return getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// CPU seconds (user + system) a process has used, from /proc/PID/stat.
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test func acceptBacksOffWhenDescriptorsRunOut() async throws {
        let ports = (0..<3).map { _ in Self.freePort() }
        let port = ports[0]
        let plant = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-\(UUID())-emfile.yaml")
        var text = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/demo.yaml"), encoding: .utf8)
        for (index, free) in ports.enumerated() { text = text.replacingOccurrences(of: "port: 1501\(index)", with: "port: \(free)") }
        try text.write(to: plant, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: plant) }
        let child = try DaemonTests.Child(["-c", "ulimit -n 64 && exec \"$0\" simulate \"$1\" --speed 1", GeolithBinary.url.path, plant.path],
                                          executable: URL(fileURLWithPath: "/bin/sh"))
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { $0.contains(":\(port)") }, "\(child.text)")
        var clients: [Int32] = []
        defer { for fd in clients { close(fd) } }
        // Connects that do not complete within 250 ms are given up: once the listen backlog is full the kernel drops
        // the SYNs, and a blocking connect would wait out its retries (about 150 s for the 200 of them). Five misses
        // in a row mean the backlog is full and the rest would miss too.
        var misses = 0
        for _ in 0..<200 where misses < 5 {
            let fd = ServerProbe.connect(port, within: .milliseconds(250))
            if fd >= 0 { clients.append(fd); misses = 0 } else { misses += 1 }
        }
        #expect(clients.count > 64, "only \(clients.count) connections were accepted or queued: the file limit of 64 was not reached")
        try await Task.sleep(for: .milliseconds(500))
        let start = try #require(Self.cpuSeconds(child.process.processIdentifier))
        try await Task.sleep(for: .seconds(2))
        let used = try #require(Self.cpuSeconds(child.process.processIdentifier)) - start
        #expect(used < 0.4, "the simulator used \(used) s of CPU in 2 s with its descriptors exhausted")
        #expect(child.process.isRunning)
        for fd in clients { close(fd) }
        clients = []
        // Serving again: a Modbus request answered.
        let deadline = ContinuousClock.now + .seconds(10)
        var answered = false
        while !answered, ContinuousClock.now < deadline {
            answered = ServerProbe.readHolding(port)
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered)
    }
}

/// Plain-socket Modbus TCP for tests that must not link the client library.
enum ServerProbe {
    /// A connection to 127.0.0.1:`port` that completes within `limit` (queued in the listen backlog counts), or -1.
    static func connect(_ port: Int, within limit: Duration = .seconds(2)) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            guard errno == EINPROGRESS else { close(fd); return -1 }
            var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let milliseconds = Int32(limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000)
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard poll(&waiting, 1, milliseconds) == 1, getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0, failure == 0
            else { close(fd); return -1 }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return fd
    }

    /// FC3 of one register at 0 on unit 1 (the simulator's unit); true when a well-formed answer comes back.
    static func readHolding(_ port: Int) -> Bool {
        let fd = connect(port)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1]
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return false }
        var answer = [UInt8](repeating: 0, count: 32)
        let count = recv(fd, &answer, answer.count, 0)
        return count >= 9 && answer[0] == 0 && answer[1] == 1 && (answer[7] == 3 || answer[7] == 0x83)
    }
}
