/// Every problem found in a plant description, reported at once.
///
/// Its description lists one problem per line, compiler style:
/// `rittershoffen.yaml:42:16: devices[1].tags[3].address: overlaps tag "DLE.FT201" (registers 10...11)`.
public struct PlantConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [Issue]

    public init(issues: [Issue]) {
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// One problem, with its position and key path.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        /// Where in the document, e.g. `devices[1].tags[3].address`; empty for the document itself.
        public var keyPath: String
        public var message: String
        public var kind: Kind

        public init(file: String, line: Int, column: Int, keyPath: String, message: String, kind: Kind) {
            self.file = file
            self.line = line
            self.column = column
            self.keyPath = keyPath
            self.message = message
            self.kind = kind
        }

        public var description: String {
            let path = keyPath.isEmpty ? "" : "\(keyPath): "
            return "\(file):\(line):\(column): \(path)\(message)"
        }
    }

    /// What kind of problem an issue is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case yamlSyntax
        case missingKey
        case unknownKey
        case wrongType
        case duplicateName
        case overlappingRegisters
        case addressOutOfRange
        case unknownDataType
        case unknownWordOrder
        case unknownUnit
        case unknownSignal
        /// The unit's dimension does not match the bound signal's.
        case unitMismatch
        case alarmOrder
        case invalidRange
        case invalidTimeout
        case invalidScanPeriod
        case invalidUnitID
        case invalidPort
        /// Any other value outside what is allowed (request limits, unknown scan group, string length...).
        case invalidValue
    }
}
