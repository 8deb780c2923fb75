import CommandSupport
import Foundation

/// Another process's memory and CPU, from /proc.
extension ProcessMemory {
    static func residentMegabytes(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") else { return nil }
        return kilobytes / 1024
    }

    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Plain-socket HTTP on 127.0.0.1, for the flood and the probes (no client library whose own limits would shape
/// the figures).
enum RawHTTP {
    /// A connected socket, or -1; connects without blocking longer than a second.
    static func connect(_ port: Int, receiveBuffer: Int32? = nil) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { Foundation.close(fd); return -1 }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) -> Bool {
        text.withCString { Foundation.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } > 0
    }

    /// Whether the peer closed the connection (nothing waiting counts as open).
    static func isClosed(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT | MSG_PEEK))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// GET /api/v1/tags on a fresh connection (5 s at most): tags with good quality, and the time the answer took.
    static func goodTags(port: Int) -> (good: Int, latency: Double?) {
        let start = ContinuousClock.now
        let fd = connect(port)
        guard fd >= 0 else { return (0, nil) }
        defer { Foundation.close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard send(fd, "GET /api/v1/tags HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n") else { return (0, nil) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 200") else { return (0, nil) }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        return (text.components(separatedBy: "\"quality\":{\"good\":true,").count - 1, elapsed)
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Foundation.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length); return getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Live-stream clients that never read and connections that never send, kept up: `refill()` opens again what
/// the monitor closed.
struct Flood {
    let port: Int
    var streams: [Int32]
    var idle: [Int32]

    init(port: Int, stalled: Int, idle: Int) {
        self.port = port
        streams = Array(repeating: -1, count: stalled)
        self.idle = Array(repeating: -1, count: idle)
    }

    var openStreams: Int { streams.filter { $0 >= 0 }.count }
    var openIdle: Int { idle.filter { $0 >= 0 }.count }

    /// Opens every missing or closed connection again; returns how many were reopened (the first fill counts none).
    @discardableResult
    mutating func refill() -> Int {
        var reopened = 0
        for index in streams.indices {
            if streams[index] >= 0, !RawHTTP.isClosed(streams[index]) { continue }
            if streams[index] >= 0 { close(streams[index]); reopened += 1 }
            // A receive window of 4 KB: the monitor's writes back up at once.
            let fd = RawHTTP.connect(port, receiveBuffer: 4096)
            if fd >= 0, RawHTTP.send(fd, "GET /api/v1/stream HTTP/1.1\r\nHost: bench\r\n\r\n") { streams[index] = fd } else {
                if fd >= 0 { close(fd) }
                streams[index] = -1
            }
        }
        for index in idle.indices {
            if idle[index] >= 0, !RawHTTP.isClosed(idle[index]) { continue }
            if idle[index] >= 0 { close(idle[index]); reopened += 1 }
            idle[index] = RawHTTP.connect(port)
        }
        return reopened
    }

    mutating func close() {
        for fd in streams + idle where fd >= 0 { Foundation.close(fd) }
        streams = streams.map { _ in -1 }
        idle = idle.map { _ in -1 }
    }

    private func close(_ fd: Int32) { Foundation.close(fd) }
}

/// The device servers of `bench monitor --serve`, started from a thread of their own that lives until `stop()`:
/// they die with the thread that started them (PR_SET_PDEATHSIG follows the thread), and the threads that run
/// async code, the main one included once it hands over to Dispatch, may end while the benchmark goes on (seen:
/// every device refused connections a few seconds into the flood, killed by SIGKILL).
final class DeviceServerKeeper: @unchecked Sendable {   // Safe: `started` is written before `ready` is signalled.
    private let ready = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private var started: Result<(Process, [Int]), any Error>?

    var process: Process { try! started!.get().0 }
    var ports: [Int] { try! started!.get().1 }

    init(tags: Int, devices: Int) throws {
        let thread = Thread { [self] in
            started = Result { try BenchMonitor.startDeviceServers(tags: tags, devices: devices) }
            ready.signal()
            release.wait()
        }
        thread.name = "geolith.bench.device-servers"
        thread.start()
        ready.wait()
        _ = try started!.get()
    }

    func stop() {
        if case .success(let (process, _)) = started { kill(process.processIdentifier, SIGKILL) }
        release.signal()
    }
}
