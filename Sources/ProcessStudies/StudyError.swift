/// Why a sweep, a merge or a comparison cannot go ahead: bad input (with what to do about it), or shards that
/// do not make one sweep.
public struct StudyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable { case invalidInput, unknownKey, shardMismatch, io, unidentifiable }
        private let value: Value
        /// An option or value is malformed, out of range, or contradicts another.
        public static let invalidInput = Code(value: .invalidInput)
        /// A parameter or KPI key does not exist; the message suggests the closest.
        public static let unknownKey = Code(value: .unknownKey)
        /// Shards are missing, overlap, are truncated, or belong to another sweep.
        public static let shardMismatch = Code(value: .shardMismatch)
        /// A file could not be read or written.
        public static let io = Code(value: .io)
        /// A calibration cannot tell some parameters apart: the data do not determine them separately.
        public static let unidentifiable = Code(value: .unidentifiable)

        public var description: String {
            switch value {
            case .invalidInput: return "invalid input"
            case .unknownKey: return "unknown key"
            case .shardMismatch: return "shard mismatch"
            case .io: return "I/O error"
            case .unidentifiable: return "unidentifiable parameters"
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static var invalidInput: Code { .invalidInput }
    public static var unknownKey: Code { .unknownKey }
    public static var shardMismatch: Code { .shardMismatch }
    public static var io: Code { .io }
    public static var unidentifiable: Code { .unidentifiable }
}

extension StudyError.Code {
    /// Lets callers write `catch StudyError.shardMismatch { … }`.
    public static func ~= (code: StudyError.Code, error: any Error) -> Bool { (error as? StudyError)?.code == code }
}
