extension String {
    /// The number that starts the text and the rest after it, trimmed: `180 mg/L` → (180, "mg/L"),
    /// `2.5e-3` → (0.0025, ""), `60g/L` → (60, "g/L"). An `e` or `E` belongs to the number only when a digit or
    /// sign follows it, so `5 eq` and `3ea` keep their unit. The number is `nil` when the text does not start
    /// with one or it is not finite. Shared by the readers of experiment files, sweeps and calibrations.
    package var leadingNumberAndUnit: (number: Double?, unit: String) {
        let text = trimmingSpaces
        var split = text.startIndex
        while split < text.endIndex, "0123456789.+-eE".contains(text[split]) {
            if text[split] == "e" || text[split] == "E" {
                let next = text.index(after: split)
                guard next < text.endIndex, "0123456789+-".contains(text[next]) else { break }
            }
            split = text.index(after: split)
        }
        let number = Double(text[..<split]).flatMap { $0.isFinite ? $0 : nil }
        return (number, String(text[split...]).trimmingSpaces)
    }
}
