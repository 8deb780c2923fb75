import ProcessModel
import Testing

/// Process parameter values as people write them: ppm for a brine's lithium, percentages for fractions and for
/// hours per year, and a hint when a fraction is given as a percentage (or hours as a fraction).
@Suite struct ParameterValueTests {
    static func plant() -> FlowsheetParameters {
        FlowsheetParameters(brine: Brine(lithium: .milligramsPerLitre(170)), productionFlow: .litresPerSecond(70))
    }

    static func set(_ key: String, _ text: String) throws(ProcessParameterError) -> FlowsheetParameters {
        var p = plant()
        try ProcessParameterCatalogue.set(key, to: text, in: &p)
        return p
    }

    @Test func ppmIsMilligramsPerLitre() throws {
        #expect(try Self.set("brine.li", "200ppm").brine.lithium.milligramsPerLitre == 200)
        #expect(try Self.set("brine.li", "200 ppm").brine.lithium.milligramsPerLitre == 200)
        #expect(try Self.set("brine.tds", "100000 ppm").brine.totalDissolvedSolids.gramsPerLitre == 100)
    }

    @Test(arguments: [("90%", 0.9), ("90 %", 0.9), ("29%", 0.29), ("7%", 0.07), ("100%", 1.0), ("0.5%", 0.005)])
    func percentagesOfAFraction(_ text: String, _ fraction: Double) throws {
        // Divided by 100, not multiplied by 0.01: 29 × 0.01 is 0.29000000000000004.
        #expect(try Self.set("dle.recovery", text).dle.specifiedRecovery == fraction)
    }

    @Test func aPercentageGivenForAFractionGetsAHint() throws {
        let error = try #require(throws: ProcessParameterError.self) { try Self.set("dle.recovery", "90") }
        #expect(error.message == "dle.recovery = 90 is outside 0...1 (a fraction: 90 % is 0.9, or write 90%)")
        // Beyond 100 there is no such reading: the plain range message.
        let beyond = try #require(throws: ProcessParameterError.self) { try Self.set("dle.recovery", "150") }
        #expect(beyond.message == "dle.recovery = 150 is outside 0...1")
    }

    @Test func hoursPerYearTakeAPercentageOfTheYear() throws {
        #expect(try Self.set("availability_hours_per_year", "95%").availabilityHours == 8322)
        #expect(try Self.set("availability_hours_per_year", "8000").availabilityHours == 8000)
    }

    @Test func aFractionGivenForHoursPerYearIsRefusedWithAHint() throws {
        let error = try #require(throws: ProcessParameterError.self) { try Self.set("availability_hours_per_year", "0.95") }
        #expect(error.message.contains("looks like a fraction"), "\(error)")
        #expect(error.message.contains("write 95%"), "\(error)")
        #expect(error.message.contains("8322 h"), "\(error)")
    }

    @Test func unitsOfOtherParametersStillConvert() throws {
        #expect(try Self.set("production.flow", "252m3/h").productionFlow.litresPerSecond == 70)
        let error = try #require(throws: ProcessParameterError.self) { try Self.set("production.flow", "90%") }
        #expect(error.message.contains("cannot be converted"), "\(error)")
    }
}
