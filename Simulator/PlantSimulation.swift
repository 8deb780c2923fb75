import ProcessModel
public import RegisterVocabulary

/// One register-backed tag as the simulator serves it (mapped from a plant description's tag).
public struct SimulatedTag: Sendable, Hashable {
    public var name: String
    public var device: String
    public var table: RegisterTable
    public var address: Int
    public var dataType: RegisterDataType
    public var wordOrder: WordOrder
    /// Registers of a string tag.
    public var length: Int
    public var scale: Double
    public var offset: Double
    public var unit: String
    public var range: ClosedRange<Double>?
    public var sentinel: Double?
    public var signal: String?

    public init(name: String, device: String, table: RegisterTable, address: Int, dataType: RegisterDataType,
                wordOrder: WordOrder = .abcd, length: Int = 1, scale: Double = 1, offset: Double = 0, unit: String = "1",
                range: ClosedRange<Double>? = nil, sentinel: Double? = nil, signal: String? = nil) {
        self.name = name
        self.device = device
        self.table = table
        self.address = address
        self.dataType = dataType
        self.wordOrder = wordOrder
        self.length = length
        self.scale = scale
        self.offset = offset
        self.unit = unit
        self.range = range
        self.sentinel = sentinel
        self.signal = signal
    }

    public var registerCount: Int { dataType.registerCount(stringLength: length) }
}

/// A register write the simulator produced in one step: the values of one tag.
public struct RegisterWrite: Sendable, Hashable {
    public var table: RegisterTable
    public var address: Int
    public var values: [UInt16]
}

/// A Modbus exception a device answers for a range of addresses.
public struct ExceptionFault: Sendable, Hashable {
    /// `nil` for every table.
    public var table: RegisterTable?
    public var range: ClosedRange<Int>
    public var code: UInt8
}

/// The communication faults acting on one device at one moment.
public struct DeviceFaults: Sendable, Hashable {
    public var silent = false
    /// Seconds every answer is held back.
    public var delay: Double = 0
    public var exceptions: [ExceptionFault] = []
    public var dropConnections = false
    /// The device is restarting: its server is down.
    public var down = false
    public init() {}
    public var isNone: Bool { self == DeviceFaults() }
}

/// What a simulation setup got wrong: a scenario naming a tag, device or signal the plant does not have.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// The plant in simulated time: dynamics, scenario, one sensor per tag, and the registers each device serves.
///
/// Deterministic: the same tags, parameters, scenario and seed give the same values, bit for bit, whatever
/// the wall-clock speed, because time only advances by `step(_:)`.
public struct PlantSimulation: Sendable {
    public private(set) var plant: PlantDynamics
    public let tags: [SimulatedTag]
    public let scenario: Scenario
    public let seed: UInt64
    public let stepSize: Double
    private var sensors: [SensorModel]
    private let slots: [Int?]
    /// Per event: the tag indices it acts on (sensor faults) or the devices (communication faults).
    private let eventTags: [[Int]]
    private let eventDevices: [[String]]
    /// The true value (tag's unit) and the served value of each tag after the last step.
    public private(set) var truth: [Double]
    public private(set) var served: [Double]
    /// Device faults after the last step, by device name.
    public private(set) var deviceFaults: [String: DeviceFaults] = [:]
    public let devices: [String]
    private var activeEvents: [Bool]

    /// Events that started or ended in the last step, for logs and recordings.
    public private(set) var transitions: [(event: ScenarioEvent, started: Bool)] = []

    public var time: Double { plant.time }

    public init(tags: [SimulatedTag], design: SimulatedPlantDesign = .reference, scenario: Scenario = .none,
                seed: UInt64 = 1, stepSize: Double = 1) throws {
        precondition(stepSize > 0, "the step must be positive")
        plant = PlantDynamics(design: design)
        self.tags = tags
        self.scenario = scenario
        self.seed = seed
        self.stepSize = stepSize
        devices = Array(Set(tags.map(\.device))).sorted()
        let names = PlantSignal.names(columns: design.columns)
        let slotOf = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var slots: [Int?] = []
        var sensors: [SensorModel] = []
        for tag in tags {
            var slot: Int?
            var factor = 1.0, offset = 0.0
            if let signal = tag.signal {
                guard let found = slotOf[signal] else {
                    throw SimulationError(message: "tag \(tag.name): the simulated plant has no signal '\(signal)' "
                                          + "(it has \(design.columns) DLE columns)")
                }
                slot = found
                // Convert from the catalogue's display unit to the tag's unit through SI.
                if let definition = SignalCatalogue.definition(for: signal),
                   let from = EngineeringUnit.named(definition.displayUnit), let to = EngineeringUnit.named(tag.unit),
                   from.dimension == to.dimension {
                    factor = from.factor / to.factor
                    offset = (from.offset - to.offset) / to.factor
                }
            }
            slots.append(slot)
            var range = tag.range
            if let r = range, r.lowerBound >= r.upperBound { range = nil }
            let spec = SensorSpec(tag: tag.name, slot: slot ?? -1, dataType: tag.dataType, wordOrder: tag.wordOrder,
                                  scale: tag.scale, offset: tag.offset, range: range, sentinel: tag.sentinel,
                                  noise: tag.signal == nil || Self.isDiscrete(tag.signal!) ? 0 : nil,
                                  lag: tag.signal.map { Self.isDiscrete($0) ? 0 : 2 } ?? 0,
                                  unitFactor: factor, unitOffset: offset)
            sensors.append(SensorModel(spec: spec, seed: seed))
        }
        self.slots = slots
        self.sensors = sensors
        // Resolve scenario targets now, so a scenario naming something the plant lacks fails before running.
        var eventTags: [[Int]] = []
        var eventDevices: [[String]] = []
        let deviceSet = Set(devices)
        for event in scenario.events {
            var indices: [Int] = []
            var targets: [String] = []
            switch event.sensorTarget {
            case .tag(let name)?:
                guard let index = tags.firstIndex(where: { $0.name == name }) else {
                    throw SimulationError(message: "scenario \(scenario.name): \(event.label): no tag '\(name)' in this plant")
                }
                indices = [index]
            case .signal(let signal)?:
                indices = tags.indices.filter { tags[$0].signal == signal }
                guard !indices.isEmpty else {
                    throw SimulationError(message: "scenario \(scenario.name): \(event.label): no tag bound to signal '\(signal)'")
                }
            case nil: break
            }
            switch event.deviceTarget {
            case .device(let name)?:
                guard deviceSet.contains(name) else {
                    throw SimulationError(message: "scenario \(scenario.name): \(event.label): no device '\(name)' "
                                          + "(devices: \(devices.joined(separator: ", ")))")
                }
                targets = [name]
            case .servingSignal(let signal)?:
                targets = Array(Set(tags.filter { $0.signal == signal }.map(\.device))).sorted()
                guard !targets.isEmpty else {
                    throw SimulationError(message: "scenario \(scenario.name): \(event.label): no device serves signal '\(signal)'")
                }
            case nil: break
            }
            eventTags.append(indices)
            eventDevices.append(targets)
        }
        self.eventTags = eventTags
        self.eventDevices = eventDevices
        activeEvents = [Bool](repeating: false, count: scenario.events.count)
        truth = [Double](repeating: 0, count: tags.count)
        served = [Double](repeating: 0, count: tags.count)
        measure(dt: 0, sensorFaults: [:])
    }

    static func isDiscrete(_ signal: String) -> Bool {
        signal.hasSuffix(".phase") || signal.hasSuffix(".running")
    }

    /// Advances the simulation by one step.
    public mutating func step() {
        let t = plant.time + stepSize
        transitions.removeAll(keepingCapacity: true)
        var disturbances = ProcessDisturbances()
        var sensorFaults: [Int: SensorFaults] = [:]
        var faults: [String: DeviceFaults] = [:]
        for (index, event) in scenario.events.enumerated() {
            let active = event.isActive(at: t, step: stepSize)
            if active != activeEvents[index] {
                activeEvents[index] = active
                transitions.append((event, active))
            }
            guard active else { continue }
            switch event.kind {
            case .pumpTrip: disturbances.pumpTripped = true
            case .liStep(let factor): disturbances.brineLiFactor *= factor
            case .brineTemperature(let delta): disturbances.brineTemperatureDelta += delta
            case .sorbentFouling(let factor): disturbances.foulingFactor *= factor
            case .capacityFade(let perCycle): disturbances.extraFadePerCycle += perCycle
            case .scaling(let rate): disturbances.scalingRate += rate
            case .eluentShortage(let availability): disturbances.eluentAvailability = min(disturbances.eluentAvailability, availability)
            case .refineryTrip: disturbances.refineryTripped = true
            case .stuck, .drift, .noiseBurst, .spike, .dropout:
                for tag in eventTags[index] {
                    var f = sensorFaults[tag] ?? SensorFaults()
                    switch event.kind {
                    case .stuck: f.stuck = true
                    case .drift(_, let perHour): f.drift += perHour * (t - event.at) / 3600
                    case .noiseBurst(_, let factor): f.noiseFactor *= factor
                    case .spike(_, let magnitude): f.spike += magnitude
                    case .dropout: f.dropout = true
                    default: break
                    }
                    sensorFaults[tag] = f
                }
            case .noResponse, .lateResponse, .exception, .dropConnections, .restart:
                for device in eventDevices[index] {
                    var f = faults[device] ?? DeviceFaults()
                    switch event.kind {
                    case .noResponse: f.silent = true
                    case .lateResponse(_, let delay): f.delay = max(f.delay, delay)
                    case .exception(_, let table, let range, let code):
                        f.exceptions.append(ExceptionFault(table: table.flatMap(RegisterTable.init(rawValue:)), range: range, code: code))
                    case .dropConnections: f.dropConnections = true
                    case .restart: f.down = true
                    default: break
                    }
                    faults[device] = f
                }
            }
        }
        plant.disturbances = disturbances
        plant.step(stepSize)
        deviceFaults = faults
        measure(dt: stepSize, sensorFaults: sensorFaults)
    }

    private mutating func measure(dt: Double, sensorFaults: [Int: SensorFaults]) {
        for index in tags.indices {
            guard let slot = slots[index] else {
                truth[index] = 0
                served[index] = 0
                continue
            }
            let signal = plant.values[slot]
            let spec = sensors[index].spec
            truth[index] = signal * spec.unitFactor + spec.unitOffset
            served[index] = sensors[index].measure(truth: signal, dt: dt, faults: sensorFaults[index] ?? .none)
        }
    }

    /// The registers of every tag of `device`, encoded from the served values.
    public func registerWrites(device: String) -> [RegisterWrite] {
        var writes: [RegisterWrite] = []
        for index in tags.indices where tags[index].device == device {
            let tag = tags[index]
            let values: [UInt16]
            if tag.dataType == .string {
                values = RegisterCodec.encodeString(tag.signal ?? tag.name, length: tag.length, order: tag.wordOrder)
            } else {
                values = sensors[index].encode(served[index])
            }
            writes.append(RegisterWrite(table: tag.table, address: tag.address, values: values))
        }
        return writes
    }

    /// Index of a tag by name.
    public func index(ofTag name: String) -> Int? { tags.firstIndex { $0.name == name } }
}
