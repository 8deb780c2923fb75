internal import CModbus
import Foundation
import RegisterVocabulary
import Synchronization

extension ModbusServer {
    // MARK: - TCP

    /// Accepts clients until the server stops. When `accept` fails for want of descriptors or memory, a pending
    /// connection keeps the listening socket readable: the loop then waits, 10 ms doubling to 1 s, instead of
    /// spinning; a client over ``ModbusServerLimits/maxClients`` is closed at once.
    func acceptLoop(listenSocket: Int32, host: String) {
        defer { state.withLock { $0.threads -= 1 } }
        var backoff = 0
        while !state.withLock({ $0.stopping }) {
            var pollDescriptor = pollfd(fd: listenSocket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollDescriptor, 1, 100)
            if ready <= 0 { continue }
            let client = accept(listenSocket, nil, nil)
            guard client >= 0 else {
                let failure = errno
                if [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(failure) {
                    backoff = min(max(10, backoff * 2), 1000)
                    state.withLock { $0.statistics.acceptBackoffs += 1 }
                    usleep(UInt32(backoff) * 1000)
                }
                continue
            }
            backoff = 0
            _ = cmodbus_set_nodelay(client)
            let accepted = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                guard state.clientSockets.count < limits.maxClients else {
                    state.statistics.connectionsRefused += 1
                    return false
                }
                state.clientSockets.insert(client)
                state.statistics.connectionsAccepted += 1
                state.statistics.connectionsOpen += 1
                state.threads += 1
                return true
            }
            guard accepted else {
                Foundation.close(client)
                continue
            }
            let thread = Thread { [self] in serveTCP(client: client, host: host) }
            thread.name = "geolith.modbus.server.client"
            thread.start()
        }
    }

    func serveTCP(client: Int32, host: String) {
        defer {
            state.withLock { state in
                state.clientSockets.remove(client)
                state.statistics.connectionsOpen -= 1
                state.threads -= 1
            }
            Foundation.close(client)
        }
        guard let context = try? ModbusContext(endpoint: .tcp(host: host, port: 502)) else { return }
        modbus_set_socket(context.pointer, client)
        modbus_set_indication_timeout(context.pointer, 0, 500_000)
        serve(context.pointer, isTCP: true)
        // The context must not close the socket a second time: hand it a closed descriptor.
        modbus_set_socket(context.pointer, -1)
    }

    static func boundPort(_ socket: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard result == 0 else { return 0 }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default: return 0
        }
    }
}
