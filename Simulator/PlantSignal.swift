/// The signals the simulated plant computes, by index, so that one step writes plain array slots.
///
/// Names are those of `SignalCatalogue`; column signals follow the fixed ones, four per column.
public enum PlantSignal: Int, CaseIterable, Sendable {
    case productionFlow, productionTemperature, productionPressure
    case pumpRunning, pumpSpeed, pumpPower
    case brineLi, brineTDS, brinePH
    case hxOutletTemperature, hxDuty
    case dleInletFlow, dleInletTemperature, dleInletPressure, dleOutletLi, sorbentCapacity
    case washFlow, eluateFlow, eluateLi
    case roFeedFlow, roPermeateFlow, roConcentrateLi, roPressure
    case refineryFeedFlow, refineryTankLevel, refineryRunning, productRate, productTankLevel
    case reinjectionFlow, reinjectionTemperature, reinjectionPressure
    case freshwaterFlow, powerTotal, energyTotal

    /// The catalogue name (SignalCatalogue).
    public var name: String {
        switch self {
        case .productionFlow: "production.flow"
        case .productionTemperature: "production.temperature"
        case .productionPressure: "production.pressure"
        case .pumpRunning: "production.pump.running"
        case .pumpSpeed: "production.pump.speed"
        case .pumpPower: "production.pump.power"
        case .brineLi: "brine.li"
        case .brineTDS: "brine.tds"
        case .brinePH: "brine.ph"
        case .hxOutletTemperature: "hx.outlet.temperature"
        case .hxDuty: "hx.duty"
        case .dleInletFlow: "dle.inlet.flow"
        case .dleInletTemperature: "dle.inlet.temperature"
        case .dleInletPressure: "dle.inlet.pressure"
        case .dleOutletLi: "dle.outlet.li"
        case .sorbentCapacity: "dle.sorbent.capacity"
        case .washFlow: "wash.flow"
        case .eluateFlow: "eluate.flow"
        case .eluateLi: "eluate.li"
        case .roFeedFlow: "ro.feed.flow"
        case .roPermeateFlow: "ro.permeate.flow"
        case .roConcentrateLi: "ro.concentrate.li"
        case .roPressure: "ro.pressure"
        case .refineryFeedFlow: "refinery.feed.flow"
        case .refineryTankLevel: "refinery.tank.level"
        case .refineryRunning: "refinery.running"
        case .productRate: "product.rate"
        case .productTankLevel: "product.tank.level"
        case .reinjectionFlow: "reinjection.flow"
        case .reinjectionTemperature: "reinjection.temperature"
        case .reinjectionPressure: "reinjection.pressure"
        case .freshwaterFlow: "freshwater.flow"
        case .powerTotal: "power.total"
        case .energyTotal: "energy.total"
        }
    }

    /// Per-column signals, in the order they follow the fixed signals.
    public enum Column: Int, CaseIterable, Sendable {
        case phase, dp, outletLi
        public func name(column: Int) -> String {
            switch self {
            case .phase: "dle.column.\(column).phase"
            case .dp: "dle.column.\(column).dp"
            case .outletLi: "dle.column.\(column).outlet.li"
            }
        }
    }

    /// The slot of a column signal; columns count from 1.
    public static func slot(_ signal: Column, column: Int) -> Int {
        allCases.count + (column - 1) * Column.allCases.count + signal.rawValue
    }

    /// Every signal name of a plant with `columns` columns, by slot.
    public static func names(columns: Int) -> [String] {
        allCases.map(\.name) + (1...max(1, columns)).flatMap { column in Column.allCases.map { $0.name(column: column) } }
    }
}

/// The phase of a DLE column; raw values are the `dle.column.#.phase` signal's values.
public enum ColumnPhase: Int, Sendable {
    case idle = 0, load = 1, wash = 2, elute = 3
}
