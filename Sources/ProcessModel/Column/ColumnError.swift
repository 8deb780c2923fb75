/// A failure of the dynamic column model: what went wrong, when, and what to try.
///
/// The integrator never loops: it throws this error when it cannot meet its tolerances
/// (step underflow), when the state stops being finite, when its step budget runs out, or when
/// the iteration matrix is singular.
public struct ColumnError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case stepUnderflow, nonFiniteState, stepBudgetExhausted, singularMatrix, invalidInput
        }
        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The step size fell below the minimum while the error test kept failing.
        public static let stepUnderflow = Code(.stepUnderflow)
        /// A NaN or infinity appeared in the state or its derivative.
        public static let nonFiniteState = Code(.nonFiniteState)
        /// More steps were needed than the budget allows.
        public static let stepBudgetExhausted = Code(.stepBudgetExhausted)
        /// The Rosenbrock iteration matrix had a zero pivot.
        public static let singularMatrix = Code(.singularMatrix)
        /// An input (schedule, case file, parameter) is unusable.
        public static let invalidInput = Code(.invalidInput)

        public var description: String {
            switch value {
            case .stepUnderflow: "step size underflow"
            case .nonFiniteState: "non-finite state"
            case .stepBudgetExhausted: "step budget exhausted"
            case .singularMatrix: "singular iteration matrix"
            case .invalidInput: "invalid input"
            }
        }
    }

    public var code: Code
    /// Simulated time in seconds at which the failure happened (0 for input errors).
    public var time: Double
    /// Detail for a person: the value involved and what to change.
    public var detail: String

    public init(_ code: Code, time: Double = 0, detail: String) {
        self.code = code
        self.time = time
        self.detail = detail
    }

    public var description: String { "column model: \(code) at t = \(time) s: \(detail)" }

    public static let stepUnderflow = Code.stepUnderflow
    public static let nonFiniteState = Code.nonFiniteState
    public static let stepBudgetExhausted = Code.stepBudgetExhausted
    public static let singularMatrix = Code.singularMatrix
    public static let invalidInput = Code.invalidInput
}

extension ColumnError.Code {
    /// Lets callers write `catch ColumnError.stepUnderflow`.
    public static func ~= (code: Self, error: any Error) -> Bool {
        (error as? ColumnError)?.code == code
    }
}
