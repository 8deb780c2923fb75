import RegisterVocabulary
import Testing

/// Scaled register values are the decimals a person reads on the device, for every raw value of a 16-bit
/// register, and `read` prints them as such.
@Suite struct RegisterScalingTests {
    /// The exact decimal `raw / 10^k` as text, built from integers: `9.7` for raw 97 at k = 1, `-0.005` for -5 at 3.
    static func decimal(_ raw: Int, _ k: Int) -> String {
        let power = [1, 10, 100, 1000][k]
        let sign = raw < 0 ? "-" : ""
        let whole = abs(raw) / power, fraction = abs(raw) % power
        guard k > 0 else { return "\(raw)" }
        let digits = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: k - digits.count) + digits
    }

    @Test(arguments: [(0.1, 1), (0.01, 2), (0.001, 3)])
    func everyRawValueOfA16BitRegister(_ scale: Double, _ k: Int) {
        let scaling = RegisterScaling(scale: scale)
        var multiplicationMisses = 0
        for type in [RegisterDataType.uint16, .int16] {
            let values = type == .uint16 ? Array(0...65535) : Array(-32768...32767)
            for raw in values {
                let expected = Double(Self.decimal(raw, k))!
                let decoded = scaling.apply(Double(raw), of: type)
                guard decoded == expected else {
                    Issue.record("\(type) raw \(raw) at scale \(scale): \(decoded), expected \(expected)")
                    return
                }
                // It reads back to the register's raw value, so encoding what was decoded is lossless.
                guard scaling.raw(for: decoded).rounded() == Double(raw) else {
                    Issue.record("raw \(raw) at scale \(scale) does not round-trip")
                    return
                }
                if Double(raw) * scale != expected { multiplicationMisses += 1 }
            }
        }
        // The check can fail: plain multiplication misses many of these values.
        #expect(multiplicationMisses > 1000, "raw × \(scale) missed only \(multiplicationMisses)")
    }

    @Test func theIssuesExample() {
        #expect(97 * 0.1 == 9.700000000000001)
        #expect(RegisterScaling(scale: 0.1).apply(97, of: .uint16) == 9.7)
        #expect(RegisterScaling.text(RegisterScaling(scale: 0.1).apply(97, of: .uint16)) == "9.7")
        // At scale 0.1, 352 of the raw values 0…1000 come out off the nearest double by multiplication; none now.
        #expect((0...1000).filter { Double($0) * 0.1 != Double(Self.decimal($0, 1))! }.count == 352)
        #expect((0...1000).allSatisfy { RegisterScaling(scale: 0.1).apply(Double($0), of: .uint16) == Double(Self.decimal($0, 1))! })
    }

    @Test(arguments: [
        (0.1, -273.15, 2981.0, "24.95"), (0.01, 0.5, 1234.0, "12.84"), (2.5, 0, 7, "17.5"), (1, -40, 65, "25"),
        (-0.1, 0, 97, "-9.7"), (0.001, 1e-4, 1, "0.0011"),
    ])
    func scaleAndOffsetTogether(_ scale: Double, _ offset: Double, _ raw: Double, _ text: String) {
        let scaling = RegisterScaling(scale: scale, offset: offset)
        #expect(RegisterScaling.text(scaling.apply(raw, of: .int32)) == text)
        #expect(scaling.raw(for: Double(text)!).rounded() == raw)
    }

    @Test func scalesWithoutAShortDecimalMultiply() {
        let third = RegisterScaling(scale: 1.0 / 3)
        #expect(third.apply(3, of: .uint16) == 3 * (1.0 / 3))
    }

    @Test func float32RegistersWidenToTheirShortestDecimal() {
        let raw = Double(Float(98.52))
        #expect(raw != 98.52)
        #expect(RegisterScaling().apply(raw, of: .float32) == 98.52)
        #expect(RegisterScaling(scale: 0.1).apply(Double(Float(975)), of: .float32) == 97.5)
        #expect(RegisterScaling().apply(raw, of: .float64) == raw, "float64 is kept as it is")
        #expect(RegisterScaling().apply(Double(Float.nan), of: .float32).isNaN)
        #expect(RegisterScaling().apply(Double(Float.infinity), of: .float32) == .infinity)
        // Through the codec, from the registers of a word-swapped meter.
        let registers = try! RegisterCodec.encodeRaw(98.52, as: .float32, order: .cdab)
        #expect(RegisterCodec.decode(registers, as: .float32, order: .cdab) == 98.52)
    }

    @Test(arguments: [
        (1_012_346.0, "1012346"), (9.7, "9.7"), (0.001, "0.001"), (-3.0, "-3"), (1e-7, "1e-07"),
        (12_345_678_901_234_567.0, "12345678901234568"), (Double.nan, "nan"), (0.0, "0"),
    ])
    func valuesAsText(_ value: Double, _ text: String) {
        #expect(RegisterScaling.text(value) == text)
    }
}
