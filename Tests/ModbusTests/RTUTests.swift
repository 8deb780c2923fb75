import Foundation
import Modbus
import RegisterVocabulary
import Testing

/// A pair of connected pseudo-terminals made by socat, for RTU tests without hardware.
/// (A pty ignores baud timing, so serial timing cannot be tested this way: docs/sources.md §5.3.)
final class PtyPair {
    let process = Process()
    let first: String
    let second: String

    static var socatPath: String? {
        ["/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init() throws {
        guard let socat = Self.socatPath else { throw CocoaError(.fileNoSuchFile) }
        process.executableURL = URL(fileURLWithPath: socat)
        process.arguments = ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        // socat prints "N PTY is /dev/pts/X" for each end; read until both appear, within a deadline.
        var text = ""
        var paths: [String] = []
        let deadline = Date().addingTimeInterval(5)
        let handle = pipe.fileHandleForReading
        while paths.count < 2 && Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            paths = text.split(separator: "\n").compactMap { line in
                line.range(of: "PTY is ").map { String(line[$0.upperBound...]).trimmingCharacters(in: .whitespaces) }
            }
        }
        guard paths.count == 2 else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "socat printed: \(text)"])
        }
        first = paths[0]
        second = paths[1]
    }

    deinit {
        // Process.waitUntilExit can hang on Linux's Foundation: kill socat outright, Foundation reaps it.
        kill(process.processIdentifier, SIGKILL)
    }
}

@Suite(.serialized, .enabled(if: PtyPair.socatPath != nil, "socat is not installed (make test installs it)"))
struct RTUTests {
    @Test func rtuClientAndServerOverAPtyPair() async throws {
        let pair = try PtyPair()
        let store = RegisterStore()
        store.set(.holding, address: 10, values: [0x47F1, 0x2000])
        let settings = RTUSettings(device: pair.first, baud: 19200, parity: .even, dataBits: 8, stopBits: 1)
        let server = ModbusServer(endpoint: .rtu(settings), unitID: 5, store: store)
        try server.start()
        defer { server.stop() }
        var clientSettings = settings
        clientSettings.device = pair.second
        clientSettings.rs485 = true // a pty has no RS-485 mode: the client must carry on in RS-232 mode
        let client = ModbusClient(endpoint: .rtu(clientSettings), unitID: 5,
                                  timeouts: ModbusTimeouts(response: .milliseconds(500), byte: .milliseconds(50)))
        let registers = try await client.readHoldingRegisters(address: 10, count: 2)
        #expect(RegisterCodec.decodeRaw(registers, as: .float32, order: .abcd) == 123456)      // FC3
        try await client.writeRegisters(address: 20, values: [1, 2, 3])                        // FC16
        #expect(store.registers(.holding, address: 20, count: 3) == [1, 2, 3])
        try await client.writeCoil(address: 4, value: true)                                     // FC5
        #expect(try await client.readCoils(address: 4, count: 1) == [true])                     // FC1
        await client.close()
    }

    @Test func rtuRequestForAnotherUnitTimesOut() async throws {
        let pair = try PtyPair()
        let server = ModbusServer(endpoint: .rtu(RTUSettings(device: pair.first)), unitID: 5, store: RegisterStore())
        try server.start()
        defer { server.stop() }
        let client = ModbusClient(endpoint: .rtu(RTUSettings(device: pair.second)), unitID: 6,
                                  timeouts: ModbusTimeouts(response: .milliseconds(200)))
        do {
            _ = try await client.readHoldingRegisters(address: 0, count: 1)
            Issue.record("unit 6 answered")
        } catch ModbusError.timeout {
        } catch { Issue.record("expected a timeout, got \(error)") }
    }
}
