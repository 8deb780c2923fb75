import Foundation
import Modbus
import RegisterVocabulary
import Testing

/// libmodbus's own error numbers (from MODBUS_ENOBASE, 112345678) are not errno values: they are described as
/// libmodbus's, and an exception answer with code 0 (which Modbus does not define) says so.
@Suite(.serialized) struct ModbusErrorTextTests {
    static let base: Int32 = 112_345_678

    @Test func libmodbusCodesAreNotCalledErrno() {
        let crc = ModbusError(.badCRC, errno: Self.base + 12, operation: "read holding registers", address: 0)
        #expect(crc.description.contains("libmodbus: Invalid CRC"), "\(crc)")
        #expect(!crc.description.contains("errno"), "\(crc)")
        let exception = ModbusError(.illegalDataAddress, errno: Self.base + 2, operation: "read input registers")
        #expect(!exception.description.contains("errno"), "\(exception)")
        // A system errno is still named as one.
        let refused = ModbusError(.connectFailed, errno: ECONNREFUSED, operation: "connect")
        #expect(refused.description.contains("errno \(ECONNREFUSED)"), "\(refused)")
    }

    @Test func anExceptionAnswerWithCodeZeroIsABadResponse() async throws {
        let server = ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), unitID: 1, store: RegisterStore())
        let port = try server.start()
        defer { server.stop() }
        server.setFaults([FaultRule(kind: .exception(0))])
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), unitID: 1,
                                  timeouts: ModbusTimeouts(response: .milliseconds(500)))
        do {
            _ = try await client.readHoldingRegisters(address: 0, count: 1)
            Issue.record("an exception answer must fail the read")
        } catch let error as ModbusError {
            #expect(error.code == .badResponse, "\(error)")
            #expect(error.description.contains("exception answer with code 0"), "\(error)")
            #expect(!error.description.contains("Unknown error"), "\(error)")
            #expect(!error.description.contains("errno \(Self.base)"), "\(error)")
        }
        await client.close()
    }
}
