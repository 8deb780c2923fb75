import RegisterVocabulary
import Testing

/// The codec against the vectors of docs/sources.md §5.2 and the issue, and round trips of every type × order.
@Suite struct RegisterCodecTests {
    // 123456.0 = 0x47F12000 [C], docs/sources.md §5.2.
    static let vectors123456: [(WordOrder, [UInt16])] = [
        (.abcd, [0x47F1, 0x2000]), (.cdab, [0x2000, 0x47F1]),
        (.badc, [0xF147, 0x0020]), (.dcba, [0x0020, 0xF147]),
    ]

    @Test(arguments: vectors123456)
    func float32Vector(order: WordOrder, registers: [UInt16]) throws {
        #expect(try RegisterCodec.encodeRaw(123456.0, as: .float32, order: order) == registers)
        #expect(RegisterCodec.decodeRaw(registers, as: .float32, order: order) == 123456.0)
    }

    @Test func publishedFloatVectors() throws {
        // 916.5406 = 0x4465229A (libmodbus modbus_get_float example), 5.0 = 0x40A00000 (hexdocs Modbus.Float),
        // 1000.5 = 0x447A2000 read low word first (SensorModbusMaster #25), 98.52 = 0x42C50A11 sent as
        // bytes 0A 11 42 C5 (SUTO S418 "mid-little-endian"), all docs/sources.md §5.2.
        // The published decimals are roundings of the bit patterns (0x4465229A = 916.540649…, 0x42C50A11 =
        // 98.5197…), so decode within the published precision and check the exact bits of the pattern.
        #expect(abs(RegisterCodec.decodeRaw([0x4465, 0x229A], as: .float32, order: .abcd) - 916.5406) < 1e-4)
        #expect(try RegisterCodec.encodeRaw(Double(Float(bitPattern: 0x4465_229A)), as: .float32, order: .abcd) == [0x4465, 0x229A])
        #expect(RegisterCodec.decodeRaw([0x40A0, 0x0000], as: .float32, order: .abcd) == 5.0)
        #expect(RegisterCodec.decodeRaw([0x0000, 0x40A0], as: .float32, order: .cdab) == 5.0)
        #expect(RegisterCodec.decodeRaw([0x2000, 0x447A], as: .float32, order: .cdab) == 1000.5)
        #expect(abs(RegisterCodec.decodeRaw([0x0A11, 0x42C5], as: .float32, order: .cdab) - 98.52) < 5e-3)
        #expect(RegisterCodec.decodeRaw([0x0A11, 0x42C5], as: .float32, order: .cdab) == Double(Float(bitPattern: 0x42C5_0A11)))
    }

    @Test func sixtyFourBitLayouts() throws {
        let value: UInt64 = 0x0102_0304_0506_0708
        #expect(RegisterCodec.encodeUInt64(value, order: .abcd) == [0x0102, 0x0304, 0x0506, 0x0708])
        #expect(RegisterCodec.encodeUInt64(value, order: .cdab) == [0x0708, 0x0506, 0x0304, 0x0102])
        #expect(RegisterCodec.encodeUInt64(value, order: .badc) == [0x0201, 0x0403, 0x0605, 0x0807])
        #expect(RegisterCodec.encodeUInt64(value, order: .dcba) == [0x0807, 0x0605, 0x0403, 0x0201])
        for order in WordOrder.allCases {
            #expect(RegisterCodec.decodeUInt64(RegisterCodec.encodeUInt64(value, order: order), order: order) == value)
        }
        // 123456.0 as float64 = 0x40FE240000000000 [C].
        #expect(try RegisterCodec.encodeRaw(123456.0, as: .float64, order: .abcd) == [0x40FE, 0x2400, 0x0000, 0x0000])
        #expect(RegisterCodec.decodeRaw([0x0000, 0x0000, 0x2400, 0x40FE], as: .float64, order: .cdab) == 123456.0)
    }

    @Test func sixteenBitTypes() throws {
        #expect(try RegisterCodec.encodeRaw(-2, as: .int16, order: .abcd) == [0xFFFE])
        #expect(try RegisterCodec.encodeRaw(0x1234, as: .uint16, order: .badc) == [0x3412])
        #expect(RegisterCodec.decodeRaw([0x8000], as: .int16, order: .abcd) == -32768)
        #expect(RegisterCodec.decodeRaw([0x8000], as: .uint16, order: .abcd) == 32768)
        #expect(RegisterCodec.decodeRaw([0x0080], as: .int16, order: .dcba) == -32768)
        #expect(RegisterCodec.decodeRaw([0x0000], as: .bool, order: .abcd) == 0)
        #expect(RegisterCodec.decodeRaw([0x0100], as: .bool, order: .abcd) == 1)
    }

    static let limits: [(RegisterDataType, Double)] = [
        (.int16, Double(Int16.min)), (.int16, Double(Int16.max)), (.uint16, 0), (.uint16, 65535),
        (.int32, Double(Int32.min)), (.int32, Double(Int32.max)), (.uint32, Double(UInt32.max)),
        (.int64, -9_007_199_254_740_992), (.int64, 9_007_199_254_740_992), (.uint64, 18_014_398_509_481_984),
    ]

    @Test(arguments: limits)
    func integerLimitsRoundTrip(type: RegisterDataType, value: Double) throws {
        for order in WordOrder.allCases {
            let registers = try RegisterCodec.encodeRaw(value, as: type, order: order)
            #expect(registers.count == type.registerCount())
            #expect(RegisterCodec.decodeRaw(registers, as: type, order: order) == value, "\(type) \(order)")
        }
    }

    @Test func extremeIntegersKeepEveryBit() {
        for order in WordOrder.allCases {
            for value in [UInt64.max, UInt64(bitPattern: Int64.min), 1] {
                #expect(RegisterCodec.decodeUInt64(RegisterCodec.encodeUInt64(value, order: order), order: order) == value)
            }
        }
    }

    @Test func outOfRangeIntegersThrow() {
        #expect(throws: RegisterCodecError.self) { try RegisterCodec.encodeRaw(65536, as: .uint16, order: .abcd) }
        #expect(throws: RegisterCodecError.self) { try RegisterCodec.encodeRaw(-1, as: .uint32, order: .abcd) }
        #expect(throws: RegisterCodecError.self) { try RegisterCodec.encodeRaw(.nan, as: .int32, order: .abcd) }
        #expect(throws: RegisterCodecError.self) { try RegisterCodec.encodeRaw(.infinity, as: .int64, order: .abcd) }
        #expect(throws: RegisterCodecError.self) { try RegisterCodec.encodeRaw(32768, as: .int16, order: .abcd) }
    }

    @Test func specialFloatsRoundTrip() throws {
        for order in WordOrder.allCases {
            for type in [RegisterDataType.float32, .float64] {
                for value: Double in [.infinity, -.infinity, 0, -0.0] {
                    let decoded = RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(value, as: type, order: order), as: type, order: order)
                    #expect(decoded == value && decoded.sign == value.sign)
                }
                let nan = RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(.nan, as: type, order: order), as: type, order: order)
                #expect(nan.isNaN)
            }
            let max = Double(Float.greatestFiniteMagnitude)
            #expect(RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(max, as: .float32, order: order), as: .float32, order: order) == max)
            #expect(RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(.leastNonzeroMagnitude, as: .float64, order: order),
                                            as: .float64, order: order) == .leastNonzeroMagnitude)
        }
    }

    @Test func randomRoundTripsEveryTypeAndOrder() throws {
        var generator = SplitMix64(seed: 0x6E0_117)
        for _ in 0..<2000 {
            let bits = generator.next()
            for order in WordOrder.allCases {
                let i32 = Double(Int32(truncatingIfNeeded: bits))
                #expect(RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(i32, as: .int32, order: order), as: .int32, order: order) == i32)
                let f32 = Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
                if !f32.isNaN {
                    #expect(RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(f32, as: .float32, order: order), as: .float32, order: order) == f32)
                }
                let f64 = Double(bitPattern: bits)
                if !f64.isNaN {
                    #expect(RegisterCodec.decodeRaw(try RegisterCodec.encodeRaw(f64, as: .float64, order: order), as: .float64, order: order) == f64)
                }
            }
        }
    }

    @Test func scaleAndOffset() throws {
        // A temperature of 165.3 °C stored as int16 tenths with an offset of −50 °C.
        let registers = try RegisterCodec.encode(165.3, as: .int16, order: .abcd, scale: 0.1, offset: -50)
        #expect(registers == [2153])
        #expect(abs(RegisterCodec.decode(registers, as: .int16, order: .abcd, scale: 0.1, offset: -50) - 165.3) < 1e-9)
        #expect(RegisterCodec.decode([0, 0, 0x47F1, 0x2000], at: 2, as: .float32, order: .abcd, scale: 2) == 246912)
    }

    @Test func strings() {
        let registers = RegisterCodec.encodeString("GRT-1", length: 4)
        #expect(registers == [0x4752, 0x542D, 0x3100, 0x0000])
        #expect(RegisterCodec.decodeString(registers) == "GRT-1")
        let swapped = RegisterCodec.encodeString("GRT-1", length: 4, order: .badc)
        #expect(swapped == [0x5247, 0x2D54, 0x0031, 0x0000])
        #expect(RegisterCodec.decodeString(swapped, order: .badc) == "GRT-1")
        #expect(RegisterCodec.decodeString(RegisterCodec.encodeString("TOO LONG STRING", length: 2)) == "TOO") // trailing blanks dropped
        #expect(RegisterCodec.decodeString([0x4101, 0x4220]) == "A?B")
    }
}

/// A small seeded generator (SplitMix64) so that random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
