public import RegisterVocabulary

extension Endpoint {
    /// The endpoint in the Modbus layer's terms.
    public var modbusEndpoint: ModbusEndpoint {
        switch self {
        case let .tcp(host, port):
            return .tcp(host: host, port: port)
        case let .rtu(device, baud, parity, dataBits, stopBits):
            let modbusParity: RTUSettings.Parity = switch parity {
            case .none: .none
            case .even: .even
            case .odd: .odd
            }
            return .rtu(RTUSettings(device: device, baud: baud, parity: modbusParity, dataBits: dataBits, stopBits: stopBits))
        }
    }
}

extension Device {
    /// The device's connection time limits in the Modbus layer's terms.
    public var modbusTimeouts: ModbusTimeouts {
        ModbusTimeouts(connect: timeouts.connect, response: timeouts.response, byte: timeouts.byte)
    }

    /// What the device accepts in one read request.
    public var readLimits: ReadLimits {
        ReadLimits(maxRegisters: maxRegistersPerRequest, maxBits: maxBitsPerRequest, maxGap: maxGap)
    }

    /// The read plan of one scan group: the fewest requests that cover its tags whole.
    /// The plan's item indices refer to the returned tags.
    public func readPlan(group: String) -> (tags: [Tag], plan: ReadPlan) {
        let groupTags = tags(inGroup: group)
        let items = groupTags.map { ReadItem(table: $0.table, address: $0.address, count: max(1, $0.registerCount)) }
        return (groupTags, ReadPlan(items: items, limits: readLimits))
    }
}
