import Modbus
import ProcessModel
import RegisterVocabulary

/// Input: byte 0 framing (bit 0: RTU), any unit (bit 1), function (bits 2–4: FC 1, 2, 3, 4, 5, 6, 15, 16); bytes
/// 1–2 address, 3–4 quantity or value, 5 unit id, 6–7 transaction id; then the answer frame.
enum ModbusAnswerFuzz {
    static let functions: [UInt8] = [1, 2, 3, 4, 5, 6, 15, 16]

    static func exchange(_ b: UnsafeRawBufferPointer) -> ModbusExchange {
        ModbusExchange(framing: b[0] & 1 == 0 ? .tcp : .rtu, transactionID: UInt16(b[6]) << 8 | UInt16(b[7]), unitID: b[5],
                       anyUnit: b[0] & 2 != 0, function: functions[Int(b[0] >> 2) & 7],
                       address: UInt16(b[1]) << 8 | UInt16(b[2]), quantity: UInt16(b[3]) << 8 | UInt16(b[4]))
    }

    static func check(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count >= 8 else { return nil }
        let request = exchange(bytes)
        let frame = UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[8...])
        let expected = oracle(frame, request)
        let answer: ModbusExchange.Answer?
        do { answer = try request.check(frame) } catch { answer = nil }
        guard answer == expected else {
            return "\(request): check says \(String(describing: answer)), the frame is \(String(describing: expected)): \(Array(frame))"
        }
        return nil
    }

    /// The rules restated plainly, to hold the parser to: the answer a frame is, or nil when it breaks one.
    static func oracle(_ f: UnsafeBufferPointer<UInt8>, _ r: ModbusExchange) -> ModbusExchange.Answer? {
        var pdu: Range<Int>
        if r.framing == .tcp {
            guard f.count >= 9, f[0] == UInt8(r.transactionID >> 8), f[1] == UInt8(r.transactionID & 0xFF), f[2] == 0, f[3] == 0,
                  Int(f[4]) * 256 + Int(f[5]) == f.count - 6 else { return nil }
            pdu = 7..<f.count
        } else {
            guard f.count >= 5, ModbusExchange.crc16(UnsafeBufferPointer(rebasing: f[0..<(f.count - 2)]))
                    == UInt16(f[f.count - 2]) + UInt16(f[f.count - 1]) * 256 else { return nil }
            pdu = 1..<(f.count - 2)
        }
        guard r.anyUnit || f[pdu.lowerBound - 1] == r.unitID else { return nil }
        let p = Array(f[pdu])
        if p[0] == r.function + 0x80 { return p.count == 2 && p[1] != 0 ? .exception(p[1]) : nil }
        guard p[0] == r.function else { return nil }
        switch r.function {
        case 1, 2, 3, 4:
            let count = r.function <= 2 ? (Int(r.quantity) + 7) / 8 : 2 * Int(r.quantity)
            guard p.count >= 2, Int(p[1]) == count, p.count == count + 2 else { return nil }
            return .data((pdu.lowerBound + 2)..<pdu.upperBound)
        default:
            guard p.count == 5, Int(p[1]) * 256 + Int(p[2]) == Int(r.address), Int(p[3]) * 256 + Int(p[4]) == Int(r.quantity) else { return nil }
            return .acknowledged
        }
    }

    /// A request and its valid answer, then often broken: a field changed or the bytes mutated.
    static func input(_ random: inout SplitMix64) -> [UInt8] {
        let head = UInt8(random.below(32))
        var params = [head] + (0..<7).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let function = functions[Int(head >> 2) & 7]
        if function <= 4 {   // quantities a device may be asked for, mostly
            let quantity = 1 + random.below(function <= 2 ? 2000 : 125)
            params[3] = UInt8(quantity >> 8)
            params[4] = UInt8(quantity & 0xFF)
        }
        let request = params.withUnsafeBytes { exchange($0) }
        var pdu: [UInt8]
        switch random.below(6) {
        case 0: pdu = [function | 0x80, UInt8(random.below(12))]
        default:
            if let count = ModbusExchange.expectedByteCount(function: function, quantity: request.quantity), count < 253 {
                pdu = [function, UInt8(count)] + (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                pdu = [function, params[1], params[2], params[3], params[4]]
            }
        }
        var frame: [UInt8]
        let unit = head & 2 != 0 && random.below(2) == 0 ? UInt8(truncatingIfNeeded: random.next()) : request.unitID
        if request.framing == .tcp {
            let length = pdu.count + 1
            frame = [params[6], params[7], 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), unit] + pdu
        } else {
            frame = [unit] + pdu
            let crc = frame.withUnsafeBufferPointer { ModbusExchange.crc16($0) }
            frame += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        }
        switch random.below(10) {
        case 0...2: break                                                       // valid
        case 3: frame[Int(random.below(UInt64(min(frame.count, 8))))] &+= 1     // one header field off by one
        default: frame = Mutation.bytes(frame, &random)
        }
        return params + frame
    }
}

/// Input: byte 0 type, byte 1 word order, bytes 2–9 a value to encode (its bit pattern), then registers.
enum RegisterCodecFuzz {
    static func check(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count >= 10 else { return nil }
        let type = RegisterDataType.allCases[Int(bytes[0]) % RegisterDataType.allCases.count]
        let order = WordOrder.allCases[Int(bytes[1]) % WordOrder.allCases.count]
        var bits: UInt64 = 0
        for i in 2..<10 { bits = bits << 8 | UInt64(bytes[i]) }
        let value = Double(bitPattern: bits)
        var registers: [UInt16] = []
        var i = 10
        while i + 1 < bytes.count { registers.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])); i += 2 }
        // Decoding: any registers, never a trap; integers round-trip exactly where a Double holds them.
        if registers.count >= type.registerCount(stringLength: 1), type != .string {
            let raw = registers.withUnsafeBufferPointer { RegisterCodec.decodeRaw($0, as: type, order: order) }
            let used = Array(registers.prefix(type.registerCount()))
            if type.isInteger, abs(raw) < 9.007e15, let again = try? RegisterCodec.encodeRaw(raw, as: type, order: order), again != used {
                return "\(type) \(order): \(used) decodes to \(raw), which encodes to \(again)"
            }
        }
        let text = RegisterCodec.decodeString(registers, order: order)
        if text.utf8.contains(where: { $0 < 0x20 || $0 > 0x7E }) { return "decodeString gave a non-printable byte: \(registers)" }
        // Encoding any Double: registers of the type's width, or a typed error.
        if type != .string {
            do {
                let encoded = try RegisterCodec.encodeRaw(value, as: type, order: order)
                guard encoded.count == type.registerCount() else { return "\(type): \(encoded.count) registers for \(value)" }
                let back = encoded.withUnsafeBufferPointer { RegisterCodec.decodeRaw($0, as: type, order: order) }
                if type.isInteger, type != .bool, back != value.rounded(.toNearestOrEven), abs(value) < 9.007e15 {
                    return "\(type) \(order): \(value) encodes to \(encoded), decoded \(back)"
                }
            } catch {
                if !type.isInteger { return "\(type): \(value) refused: \(error)" }
            }
        }
        return nil
    }

    static func input(_ random: inout SplitMix64) -> [UInt8] {
        let special: [Double] = [0, -0.0, 1, -1, .nan, .infinity, -.infinity, 65535, 65536, -32768, 4294967295, 9.2e18, 1.8e19, 1e308, .leastNonzeroMagnitude]
        let value = random.below(3) == 0 ? special[Int(random.below(UInt64(special.count)))] : Double(bitPattern: random.next())
        var bytes = [UInt8(random.below(256)), UInt8(random.below(256))]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value.bitPattern >> UInt64(shift))) }
        for _ in 0..<(2 * Int(random.below(10))) { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
        return bytes
    }
}
