import RegisterVocabulary
import Simulator
import Testing

@Suite struct SensorModelTests {
    @Test func sameSeedSameNoiseDifferentSeedDifferentNoise() {
        let spec = SensorSpec(tag: "FT101", slot: 0, dataType: .float32, range: 0...100, lag: 0)
        var a = SensorModel(spec: spec, seed: 7), b = SensorModel(spec: spec, seed: 7), c = SensorModel(spec: spec, seed: 8)
        let sa = (0..<100).map { _ in a.measure(truth: 50, dt: 1) }
        let sb = (0..<100).map { _ in b.measure(truth: 50, dt: 1) }
        let sc = (0..<100).map { _ in c.measure(truth: 50, dt: 1) }
        #expect(sa == sb)
        #expect(sa != sc)
        // 0.1 % of a 0–100 span: σ = 0.1; every sample within 5σ and the spread near σ.
        #expect(sa.allSatisfy { abs($0 - 50) < 0.5 })
        let mean = sa.reduce(0, +) / 100
        let sd = (sa.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 99).squareRoot()
        #expect(sd > 0.06 && sd < 0.14, "σ \(sd)")
    }

    @Test func quantisesToTheRegisterAndClampsToTheSpan() {
        let spec = SensorSpec(tag: "TT101", slot: 0, dataType: .int16, scale: 0.1, range: 0...200, noise: 0, lag: 0)
        var sensor = SensorModel(spec: spec, seed: 1)
        #expect(abs(sensor.measure(truth: 165.34, dt: 1) - 165.3) < 1e-9)
        #expect(sensor.measure(truth: 250, dt: 1) == 200)
        #expect(sensor.measure(truth: -5, dt: 1) == 0)
        #expect(sensor.encode(165.3) == [1653])
    }

    @Test func firstOrderLag() {
        let spec = SensorSpec(tag: "TT", slot: 0, dataType: .float64, noise: 0, lag: 10)
        var sensor = SensorModel(spec: spec, seed: 1)
        #expect(sensor.measure(truth: 0, dt: 1) == 0)
        var value = 0.0
        for _ in 0..<10 { value = sensor.measure(truth: 100, dt: 1) }
        // After one time constant a first-order lag has covered 1 − 1/e of the step.
        #expect(abs(value - 63.212) < 0.01, "\(value)")
    }

    @Test func faults() {
        let spec = SensorSpec(tag: "PT", slot: 0, dataType: .float32, range: 0...50, sentinel: nil, noise: 0, lag: 0)
        var sensor = SensorModel(spec: spec, seed: 1)
        var stuck = SensorFaults()
        stuck.stuck = true
        #expect(sensor.measure(truth: 20, dt: 1, faults: stuck) == 20)
        #expect(sensor.measure(truth: 30, dt: 1, faults: stuck) == 20)
        #expect(sensor.measure(truth: 30, dt: 1) == 30)
        var dropout = SensorFaults()
        dropout.dropout = true
        #expect(sensor.measure(truth: 30, dt: 1, faults: dropout).isNaN)
        var spike = SensorFaults()
        spike.spike = 5
        #expect(sensor.measure(truth: 30, dt: 1, faults: spike) == 35)
        let withSentinel = SensorSpec(tag: "AI", slot: 0, dataType: .uint16, scale: 0.1, range: 0...500, sentinel: 65535, noise: 0, lag: 0)
        var analyser = SensorModel(spec: withSentinel, seed: 1)
        let failed = analyser.measure(truth: 180, dt: 1, faults: dropout)
        #expect(analyser.encode(failed) == [65535])
    }

    @Test func roundingMatchesTheLibraryBitForBit() {
        var random = SeededRandom(seed: 3)
        let ties: [Double] = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 4503599627370495.5,
                              -4503599627370495.5, 0x1p52, -0x1p52, 0x1p52 + 1, 0x1p63, -0x1p63, 1e300, 0, -0.0, -0.3, 0.3,
                              .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        let spread = (0..<10_000).map { _ in (random.uniform() - 0.5) * 70_000 }
        for x in ties + spread {
            #expect(SensorModel.rounded(x).bitPattern == x.rounded().bitPattern, "\(x)")
        }
        #expect(SensorModel.rounded(.nan).isNaN)
    }
}
