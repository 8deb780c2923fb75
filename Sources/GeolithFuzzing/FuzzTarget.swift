public import ProcessModel

/// The fuzzed parsers, each a function of raw bytes that checks its own invariants.
///
/// The same harnesses run in two ways: a seeded property loop (``run(inputs:seed:corpus:)``: inputs built from
/// valid ones and mutated, fixed seed, bounded in count) inside `make test` and, with many more inputs, in
/// `make fuzz`; and libFuzzer (`geolith-fuzz` built with `-sanitize=fuzzer`), which mutates the bytes itself.
/// A harness returns nil when the input was handled as it must be, or a description of what went wrong; a
/// trap is a crash either way.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// ``Modbus/ModbusExchange/check(_:)``: a request's parameters and an answer frame (TCP or RTU).
    case modbusAnswer = "modbus-answer"
    /// ``RegisterVocabulary/RegisterCodec``: decoding registers as every type and order, and encoding values back.
    case registerCodec = "register-codec"
    /// ``PlantConfig/PlantLoader``: a plant description as text.
    case configLoader = "config-loader"

    /// Runs the harness on one input.
    public func check(_ bytes: UnsafeRawBufferPointer) -> String? {
        switch self {
        case .modbusAnswer: ModbusAnswerFuzz.check(bytes)
        case .registerCodec: RegisterCodecFuzz.check(bytes)
        case .configLoader: ConfigLoaderFuzz.check(bytes)
        }
    }

    /// One generated input: valid ones from the corpus or built, then mutated.
    public func input(_ random: inout SplitMix64, corpus: [[UInt8]]) -> [UInt8] {
        switch self {
        case .modbusAnswer: ModbusAnswerFuzz.input(&random)
        case .registerCodec: RegisterCodecFuzz.input(&random)
        case .configLoader: ConfigLoaderFuzz.input(&random, corpus: corpus)
        }
    }

    /// What a property loop found.
    public struct Outcome: Sendable {
        public var inputs = 0
        /// Inputs whose harness reported a violation, with the first few descriptions.
        public var failures = 0
        public var examples: [String] = []
        public var seconds = 0.0
    }

    /// Runs `inputs` generated inputs from `seed`.
    public func run(inputs: Int, seed: UInt64, corpus: [[UInt8]] = []) -> Outcome {
        var random = SplitMix64(seed: seed)
        var outcome = Outcome()
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<inputs {
            let bytes = input(&random, corpus: corpus)
            if let failure = bytes.withUnsafeBytes({ check($0) }) {
                outcome.failures += 1
                if outcome.examples.count < 5 { outcome.examples.append(failure) }
            }
            outcome.inputs += 1
        }
        let elapsed = start.duration(to: clock.now).components
        outcome.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return outcome
    }
}

/// Mutations shared by the generators.
enum Mutation {
    /// Flips, replaces, inserts, deletes or duplicates a few bytes, or truncates.
    static func bytes(_ input: [UInt8], _ random: inout SplitMix64, count: Int = 1 + 0) -> [UInt8] {
        var out = input
        let edits = 1 + Int(random.below(4))
        for _ in 0..<edits {
            let position = out.isEmpty ? 0 : Int(random.below(UInt64(out.count)))
            switch random.below(7) {
            case 0 where !out.isEmpty: out[position] ^= UInt8(1 << random.below(8))
            case 1 where !out.isEmpty: out[position] = UInt8(truncatingIfNeeded: random.next())
            case 2: out.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 3 where !out.isEmpty: out.remove(at: position)
            case 4 where !out.isEmpty: out = Array(out.prefix(position))
            case 5 where !out.isEmpty: out.insert(contentsOf: out[position..<min(out.count, position + 8)], at: position)
            default: out.append(UInt8(truncatingIfNeeded: random.next()))
            }
        }
        return out
    }

    /// Numbers that break arithmetic, as text.
    static let hostileNumbers = [
        "9223372036854775807", "-9223372036854775808", "18446744073709551615", "9223372036854775808", "-1", "0",
        "65535", "65536", "1e308", "-1e308", ".nan", ".inf", "-.inf", "0x7fffffffffffffff", "1e-320", "-0",
        "99999999999999999999999",
    ]
}
