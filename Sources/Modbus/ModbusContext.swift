internal import CModbus
import Foundation
import RegisterVocabulary

/// Owns one libmodbus context (`modbus_t*`) and frees it when dropped.
///
/// Not copyable, so the pointer has exactly one owner; not Sendable, so it stays on the thread (or serial
/// executor) that owns it [STYLE: C interop].
struct ModbusContext: ~Copyable {
    let pointer: OpaquePointer

    /// Creates a context for an endpoint; throws if libmodbus refuses the parameters.
    init(endpoint: ModbusEndpoint) throws(ModbusError) {
        let created: OpaquePointer?
        switch endpoint {
        case .tcp(let host, let port):
            guard (0...65535).contains(port) else {
                throw ModbusError(.invalidArgument, operation: "create TCP context", detail: "port \(port) outside 0...65535")
            }
            // modbus_new_tcp_pi resolves names and takes IPv6 literals; the service is the port as text.
            created = modbus_new_tcp_pi(host, String(port))
        case .rtu(let settings):
            guard let parity = settings.parity.rawValue.utf8.first,
                  (5...8).contains(settings.dataBits), (1...2).contains(settings.stopBits), settings.baud > 0 else {
                throw ModbusError(.invalidArgument, operation: "create RTU context",
                                  detail: "data bits 5...8, stop bits 1...2 and a positive baud rate are required")
            }
            created = modbus_new_rtu(settings.device, Int32(settings.baud), CChar(bitPattern: parity),
                                     Int32(settings.dataBits), Int32(settings.stopBits))
        }
        guard let created else {
            throw ModbusError.fromErrno(Foundation.errno, operation: "create context for \(endpoint)")
        }
        pointer = created
        // Reconnection is ours (capped exponential backoff), never libmodbus's, whose recovery mode can
        // sleep and reconnect inside one call [STYLE: facts checked on this toolchain].
        modbus_set_error_recovery(pointer, MODBUS_ERROR_RECOVERY_NONE)
    }

    func setTimeouts(response: Duration, byte: Duration) {
        let (rs, ru) = response.secondsAndMicroseconds
        modbus_set_response_timeout(pointer, rs, ru)
        let (bs, bu) = byte.secondsAndMicroseconds
        modbus_set_byte_timeout(pointer, bs, bu)
    }

    var socket: Int32 { modbus_get_socket(pointer) }

    deinit {
        modbus_close(pointer)
        modbus_free(pointer)
    }
}

extension Duration {
    /// Seconds and microseconds as libmodbus's timeout setters take them (at least 1 µs in total).
    var secondsAndMicroseconds: (UInt32, UInt32) {
        let (seconds, attoseconds) = components
        let micros = max(0, attoseconds / 1_000_000_000_000)
        if seconds <= 0 && micros == 0 { return (0, 1) }
        return (UInt32(clamping: seconds), UInt32(clamping: micros))
    }
}
