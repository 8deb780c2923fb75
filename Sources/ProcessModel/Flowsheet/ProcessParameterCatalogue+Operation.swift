/// The plant's operation: the figures the simulator and the monitor's soft sensors need beyond a steady state
/// (wellhead and pump behaviour, pressures, buffer tank and silo). They are keys of the one parameter set like
/// the flowsheet's, with defaults and sources; `geolith estimate` lists them and says when one has no effect.
extension ProcessParameterCatalogue {
    static let operation: [ProcessParameter] = [
        number(
            "production.wellhead_pressure_bar", "bar", 0...1000, "wellhead pressure while producing",
            "a production well's pressure; else 22 bar, above CO2 breakout ([U], EuGeLi 20 bar at the DLE [S])",
            use: .dynamics, get: { $0.well.wellheadPressure }, set: { $0.well.wellheadPressure = $1 }),
        number(
            "production.shut_in_pressure_bar", "bar", 0...1000, "wellhead pressure with the pump stopped",
            "assumed 8 bar ([U])", use: .dynamics, get: { $0.well.shutInPressure },
            set: { $0.well.shutInPressure = $1 }),
        number(
            "production.shut_in_temperature_c", "°C", 0...400, "wellhead temperature the shut-in well cools to",
            "assumed 90 °C ([U])", use: .dynamics, get: { $0.well.shutInTemperature },
            set: { $0.well.shutInTemperature = $1 }),
        number(
            "production.pump_frequency_hz", "Hz", 1...400, "pump drive frequency at the design flow",
            "50 Hz grid", use: .dynamics, get: { $0.well.pumpFrequency }, set: { $0.well.pumpFrequency = $1 }),
        number(
            "production.pump_head_m", "m", 0...10_000, "production pump total head (pump power ρgHQ/η)",
            "assumed 600 m ([U])", use: .dynamics, get: { $0.well.pumpHead }, set: { $0.well.pumpHead = $1 }),
        number(
            "production.pump_efficiency", "1", 0.05...1, "production pump wire-to-water efficiency",
            "assumed 0.7 ([U])", use: .dynamics, get: { $0.well.pumpEfficiency },
            set: { $0.well.pumpEfficiency = $1 }),
        number(
            "production.pump_ramp_s", "s", 0...86_400, "time constant of the pump's speed ramp",
            "assumed 30 s ([U])", use: .dynamics, get: { $0.well.pumpRampSeconds },
            set: { $0.well.pumpRampSeconds = $1 }),
        number(
            "production.warm_up_s", "s", 0...1e6, "time constant of the wellhead temperature while producing",
            "assumed 300 s ([U])", use: .dynamics, get: { $0.well.warmUpSeconds },
            set: { $0.well.warmUpSeconds = $1 }),
        number(
            "production.cool_down_s", "s", 0...1e7, "time constant of the wellhead cooling at shut-in",
            "assumed 3,600 s ([U])", use: .dynamics, get: { $0.well.coolDownSeconds },
            set: { $0.well.coolDownSeconds = $1 }),
        number(
            "brine.ph", "pH", 0...14, "wellhead pH (served by the simulator)",
            "assumed 5.2 ([U]: no figure read; Sanjuan et al. 2022 has it)", use: .dynamics,
            get: { $0.brine.pH }, set: { $0.brine.pH = $1 }),
        number(
            "dle.inlet_pressure_bar", "bar", 0...1000, "DLE inlet pressure, kept above CO2 breakout",
            "20 bar EuGeLi [S]", use: .dynamics, get: { $0.dle.inletPressure }, set: { $0.dle.inletPressure = $1 }),
        number(
            "dle.pressure_drop_bar", "bar", 0...100, "pressure drop of a clean column at the nominal load flow",
            "assumed 0.8 bar ([U])", use: .dynamics, get: { $0.dle.pressureDrop },
            set: { $0.dle.pressureDrop = $1 }),
        number(
            "dle.spent_wash_tank_m3", "m³", 1e-3...1e6, "tank returning the spent washes to the feed",
            "two cycles of the train's wash water ([U])", use: .dynamics, get: { $0.dle.spentWashTank?.cubicMetres },
            set: { $0.dle.spentWashTank = .cubicMetres($1) }),
        number(
            "dle.spent_wash_setpoint", "1", 0.05...0.95, "spent-wash tank level its drain holds",
            "assumed 0.5 ([U])", use: .dynamics, get: { $0.dle.spentWashSetpoint },
            set: { $0.dle.spentWashSetpoint = $1 }),
        number(
            "dle.axial_dispersion_m2_per_s", "m²/s", 0...1, "axial dispersion of the dynamic column",
            "5e-6 as benchmark column-dle-v1 ([U] for plant beds)", use: .dleModels([.dynamic]),
            get: { $0.dle.axialDispersion }, set: { $0.dle.axialDispersion = $1 }),
        number(
            "concentration.pressure_bar", "bar", 0...1000, "RO feed pressure while concentrating",
            "assumed 60 bar ([U])", use: .dynamics, get: { $0.concentration.pressure },
            set: { $0.concentration.pressure = $1 }),
        number(
            "concentration.idle_pressure_bar", "bar", 0...1000, "RO pressure idling between elutions",
            "assumed 20 bar ([U])", use: .dynamics, get: { $0.concentration.idlePressure },
            set: { $0.concentration.idlePressure = $1 }),
        number(
            "refining.buffer_tank_m3", "m³", 1e-3...1e6, "concentrate buffer tank ahead of the refinery",
            "12 h of the nominal concentrate flow ([U])", use: .dynamics,
            get: { $0.refining.bufferTank?.cubicMetres }, set: { $0.refining.bufferTank = .cubicMetres($1) }),
        number(
            "refining.buffer_setpoint", "1", 0.05...0.95, "buffer tank level the refinery feed holds",
            "assumed 0.5 ([U])", use: .dynamics, get: { $0.refining.bufferSetpoint },
            set: { $0.refining.bufferSetpoint = $1 }),
        number(
            "refining.product_silo_t", "t", 1e-3...1e6, "product silo capacity",
            "7 days of the nameplate, or of the estimated product ([U])", use: .dynamics,
            get: { $0.refining.productSilo }, set: { $0.refining.productSilo = $1 }),
        number(
            "refining.silo_dispatch_level", "1", 0.1...1, "silo level at which a truck is called",
            "assumed 0.9 ([U])", use: .dynamics, get: { $0.refining.siloDispatchLevel },
            set: { $0.refining.siloDispatchLevel = $1 }),
        number(
            "refining.silo_residual_level", "1", 0...0.9, "silo level a truck leaves",
            "assumed 0.1 ([U])", use: .dynamics, get: { $0.refining.siloResidualLevel },
            set: { $0.refining.siloResidualLevel = $1 }),
        number(
            "reinjection.pressure_bar", "bar", 0...1000, "reinjection wellhead pressure",
            "a reinjection well's pressure; else 35 bar ([U]; Soultz limit 90 bar [W])", use: .dynamics,
            get: { $0.reinjection.pressure }, set: { $0.reinjection.pressure = $1 }),
    ]

    /// Keys applied before the others because they reset defaults (a sorbent type sets its capacity and
    /// selectivities; a refining route its yield), and `dle.model` last, so an explicit model wins over the
    /// `specified` model that giving `dle.recovery` implies.
    public static func applicationOrder(_ key: String) -> Int {
        switch key {
        case "sorbent.type", "refining.route", "dle.eluent", "concentration.method": return 0
        case "dle.model": return 2
        default: return 1
        }
    }

    /// `assignments` in the order they are applied: by ``applicationOrder(_:)``, and in the given order among
    /// keys of the same rank (so a later assignment of the same key wins). Applying them in this order gives the
    /// same parameters whatever order they came in, as long as no key is given twice.
    public static func ordered<T>(_ assignments: [T], key: (T) -> String) -> [T] {
        assignments.enumerated()
            .sorted { (applicationOrder(key($0.element)), $0.offset) < (applicationOrder(key($1.element)), $1.offset) }
            .map(\.element)
    }

    /// Applies `assignments` (key, value as text) to `p` in the catalogue's order (``ordered(_:key:)``).
    ///
    /// - Throws: ``ProcessParameterError`` for the first unknown key or bad value, in application order.
    public static func apply(_ assignments: [(key: String, value: String)], to p: inout FlowsheetParameters)
        throws(ProcessParameterError)
    {
        for assignment in ordered(assignments, key: \.key) {
            try set(assignment.key, to: assignment.value, in: &p)
        }
    }

    /// One sentence per assignment whose key changes no steady-state figure under `p`'s DLE model (see
    /// ``ProcessParameter/unusedNotice(underDLEModels:)``), each key once, in the order given.
    public static func unusedNotices(for keys: [String], in p: FlowsheetParameters) -> [String] {
        var seen = Set<String>()
        return keys.compactMap { key in
            guard seen.insert(key).inserted, let parameter = parameter(key) else { return nil }
            return parameter.unusedNotice(underDLEModels: [p.dle.model])
        }
    }
}
