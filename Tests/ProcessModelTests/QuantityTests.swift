import Foundation
import ProcessModel
import RealModule
import Testing

@Suite struct QuantityTests {
    @Test func lithiumConversionsFollowMolarMasses() {
        // docs/sources.md §4.1 [C]: M(Li2CO3) 73.888, M(LiOH·H2O) 41.962, M(LiCl) 42.390 g/mol.
        #expect(abs(LithiumCarbonate.molarMass - 73.888) < 5e-4)
        #expect(abs(LithiumHydroxideMonohydrate.molarMass - 41.962) < 5e-4)
        #expect(abs(LithiumChloride.molarMass - 42.390) < 5e-4)
        // 1 t Li = 5.323 t LCE = 6.046 t LHM = 6.108 t LiCl; 1 t LCE = 1.136 t LHM.
        let li = LithiumMass<Lithium>.tonnes(1)
        #expect(abs(li.converted(to: LCE.self).tonnes - 5.323) < 5e-4)
        #expect(abs(li.converted(to: LHM.self).tonnes - 6.046) < 5e-4)
        #expect(abs(li.converted(to: LithiumChloride.self).tonnes - 6.108) < 5e-4)
        #expect(abs(LithiumMass<LCE>.tonnes(1).converted(to: LHM.self).tonnes - 1.136) < 5e-4)
        // Round trip through every compound returns the lithium.
        let back = li.converted(to: LCE.self).converted(to: LithiumChloride.self).converted(to: LHM.self).lithium
        #expect(back.kilograms.isApproximatelyEqual(to: 1000, relativeTolerance: 1e-14))
    }

    @Test func unitConstructorsAreExactDefinitions() {
        #expect(VolumeFlow.litresPerSecond(80).cubicMetresPerHour == 288)
        #expect(VolumeFlow.cubicMetresPerHour(252).litresPerSecond.isApproximatelyEqual(to: 70, relativeTolerance: 1e-15))
        #expect(MassConcentration.milligramsPerLitre(168).kilogramsPerCubicMetre == 0.168)
        #expect(MassConcentration.gramsPerLitre(1).milligramsPerLitre == 1000)
        #expect(Temperature.celsius(80).kelvin == 353.15)
        #expect(Pressure.bar(20).pascals == 2e6)
        #expect(Energy.kilowattHours(1).joules == 3.6e6)
        #expect(Power.megawatts(24).kilowatts == 24_000)
        #expect(MassFlow.tonnesPerDay(86.4).kilogramsPerSecond == 1)
        #expect(SpecificEnergy.kilowattHoursPerTonne(1).joulesPerKilogram == 3600)
        // Products of dimensions: 80 L/s × 168 mg/L = 13.44 g/s = 48.384 kg/h of Li.
        let li = VolumeFlow.litresPerSecond(80) * MassConcentration.milligramsPerLitre(168)
        #expect(li.kilogramsPerHour.isApproximatelyEqual(to: 48.384, relativeTolerance: 1e-12))
        #expect((li * Duration.seconds(3600)).kilograms.isApproximatelyEqual(to: 48.384, relativeTolerance: 1e-12))
        #expect((Power.kilowatts(2) * Duration.seconds(1800)).kilowattHours.isApproximatelyEqual(to: 1, relativeTolerance: 1e-15))
    }

    @Test func annualYieldFormulaOfReference() {
        // docs/sources.md §4.2: Q = 1 L/s, c = 1 mg/L, 8,760 h, η = 1 gives 0.0315 t Li/yr.
        let flow = LithiumMassFlow<Lithium>(
            lithium: VolumeFlow.litresPerSecond(1) * MassConcentration.milligramsPerLitre(1))
        #expect(abs(flow.mass(overHours: 8760).tonnes - 0.031536) < 1e-9)
    }

    /// Mixing units must not compile: type-check small programs against the unit sources with `swiftc`.
    @Test(arguments: [
        "let x = VolumeFlow.litresPerSecond(1) + MassConcentration.milligramsPerLitre(1)",
        "let x = LithiumMass<Lithium>.tonnes(1) + LithiumMass<LCE>.tonnes(1)",
        "let x: MassFlow = VolumeFlow.litresPerSecond(1) * VolumeFlow.litresPerSecond(1)",
        "let x = Temperature.celsius(1) < Pressure.bar(1)",
    ])
    func unitMixingDoesNotCompile(snippet: String) throws {
        let units = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/ProcessModel/Units").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: units.path).filter { $0.hasSuffix(".swift") }
            .map { units.appendingPathComponent($0).path }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.swift")
        let bad = dir.appendingPathComponent("bad.swift")
        try "let ok = LithiumMass<LCE>.tonnes(1) + LithiumMass<Lithium>.tonnes(1).converted(to: LCE.self)\n"
            .write(to: good, atomically: true, encoding: .utf8)
        try "\(snippet)\n".write(to: bad, atomically: true, encoding: .utf8)
        // The control: the same sources with a correct program type-check, so a failure below is the unit error.
        #expect(try typecheck(files + [good.path]).status == 0)
        let result = try typecheck(files + [bad.path])
        #expect(result.status != 0, "\(snippet) compiled")
        #expect(result.output.contains("error"))
    }

    private func typecheck(_ files: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-typecheck", "-parse-as-library", "-swift-version", "6"] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        // readDataToEndOfFile returns at EOF, when swiftc has exited; bounded wait for the status.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
