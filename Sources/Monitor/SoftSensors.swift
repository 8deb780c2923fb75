public import PlantConfig
public import ProcessModel
public import RegisterVocabulary

/// A KPI with its unit and a quality derived from its inputs.
public struct KPIValue: Sendable, Hashable {
    public var name: String
    public var label: String
    public var value: Double
    public var unit: String
    public var quality: Quality
    public var time: Int64
    /// The stage the KPI describes is stopped (its pump or its refinery): there is no rate to show, and `value`
    /// is 0. Shown as idle, never as a measured zero.
    public var idle = false
}

/// Live KPIs from the signals bound to tags: the monitor's soft sensors.
///
/// Inputs are the latest value of the (first) tag bound to each signal, converted to the catalogue's unit; a
/// KPI's quality is the worst of its inputs' (`Quality.combining`), and a KPI whose input is missing is not
/// reported. Where the process is cyclic (the plant's columns report their phases) rate KPIs are averaged over
/// one DLE cycle (``RateWindow``), as the estimate's figures are, and carry quality uncertain(incompleteCycle)
/// until a whole cycle has been observed; a stopped stage shows as idle. The Li balance integrated since the
/// start accounts for the Li that the columns' sorbent and pores hold at each moment (``DLETrainModel``, placed
/// by the observed phases, ``TrainObserver``), so it closes through a cycle and not only at its end.
public struct SoftSensors: Sendable {
    /// Plant availability, h/yr, for projections (Rittershoffen 8,000 h/yr design, docs/sources.md §4.2); nil for
    /// a monitoring-only description, which then has no projection.
    public var availabilityHours: Double?
    /// Refinery nameplate product rate, kg/h, for utilisation; nil when the plant description has none.
    public var nameplateProductRate: Double?
    /// Product per tonne of Li: 6.046 t LHM or 5.323 t Li2CO3 (docs/sources.md §4.1).
    public var productPerLi: Double
    /// The plant's DLE train as its model gives it; `nil` leaves the inventory out of the Li balance.
    public var train: DLETrainModel?
    var liIn = 0.0, liReinjected = 0.0, liEluate = 0.0, waterIn = 0.0, waterOut = 0.0
    var lastTime: Int64?
    var integratedQuality = Quality.good
    var window = RateWindow()
    var observer = TrainObserver()
    var phases: [Double] = []
    /// The Li the train held at the start, once known (kg above the columns' heels).
    var startInventory: Double?
    var inventoryChange = 0.0
    /// Per DLE column: the phase last seen and what its current elution has delivered so far.
    var cycles: [Int: CycleAccount] = [:]
    /// Completed cycles' KPIs, newest last (the last 100).
    public internal(set) var completedCycles: [CycleKPIs] = []

    public init(availabilityHours: Double? = 8000, nameplateProductRate: Double? = nil, productPerLi: Double = 5.323) {
        self.availabilityHours = availabilityHours
        self.nameplateProductRate = nameplateProductRate
        self.productPerLi = productPerLi
    }

    /// Soft sensors set from a plant's process parameters: its availability, its refinery's nameplate (so
    /// refining utilisation is reported), its product (t of product per t of Li) and its DLE train.
    public init(parameters p: FlowsheetParameters) {
        let productPerLi = p.refining.route.product.massPerLithium
        self.init(
            availabilityHours: p.availabilityHours,
            nameplateProductRate: p.refining.nameplate.map { $0 * 1000 / 24 },  // t/d → kg/h
            productPerLi: productPerLi)
        train = DLETrainModel(parameters: p)
    }

    /// Soft sensors for a plant description: from its process parameters; a monitoring-only description (no
    /// brine, no process section) has no availability or refinery nameplate, so the KPIs that need them are off
    /// (``coverage(of:)`` says which).
    public init(plant: Plant) {
        if !plant.isMonitoringOnly, let parameters = try? plant.flowsheetParameters() {
            self.init(parameters: parameters)
        } else {
            self.init(availabilityHours: nil)
        }
    }

    public typealias Input = (value: Double, quality: Quality)

    public mutating func compute(_ signals: [String: Input], at time: Int64) -> [KPIValue] {
        var kpis: [KPIValue] = []
        kpis.reserveCapacity(20)
        let hours = lastTime.map { time > $0 ? Double(time - $0) / 3_600_000 : 0 } ?? 0
        // The columns' phases (bad ones as NaN, which the observer skips), into a buffer kept between ticks.
        phases.removeAll(keepingCapacity: true)
        for name in Self.phaseSignals {
            guard let phase = signals[name] else { break }
            phases.append(phase.quality.status == .bad ? .nan : phase.value)
        }
        if !phases.isEmpty {
            observer.observe(phases, at: time)
            window.setLength(observer.fullCycleObserved ? observer.cycle : nil)
        }
        rates(signals, hours: hours, cyclic: !phases.isEmpty, at: time, into: &kpis)
        if let capacity = signals["dle.sorbent.capacity"] {
            add(
                &kpis, "sorbent_health", "Sorbent capacity vs fresh", "%", 100 * capacity.value,
                Quality.combining(capacity.quality, .good), at: time)
        }
        balances(signals, hours: hours, at: time, into: &kpis)
        cycleKPIs(signals, hours: hours, at: time, into: &kpis)
        lastTime = time
        kpis.removeAll { !$0.value.isFinite }
        return kpis
    }

    func add(
        _ kpis: inout [KPIValue], _ name: String, _ label: String, _ unit: String, _ value: Double?,
        _ quality: Quality, at time: Int64, idle: Bool = false
    ) {
        guard let value = idle ? 0 : value, value.isFinite else { return }
        kpis.append(
            KPIValue(
                name: name, label: label, value: value, unit: unit, quality: idle ? .good : quality,
                time: time, idle: idle))
    }

    /// `dle.column.#.phase` for columns 1…64, made once rather than on every evaluation.
    static let phaseSignals = (1...64).map { "dle.column.\($0).phase" }
}
