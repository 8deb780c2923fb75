import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import RegisterVocabulary

/// `geolith plan FILE`: the read plan of each device and scan group.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the read plan: the Modbus requests per device and scan group, registers covered and bridged.")

    @Argument(help: "Plant description file.")
    var file: String

    @Option(help: "Only this device.")
    var device: String?

    @Flag(help: "List the tags each request serves.")
    var tags = false

    func run() throws {
        let plant = try loadPlant(file)
        let devices = plant.devices.filter { device == nil || $0.name == device }
        if let device, devices.isEmpty {
            throw DeviceCommandError.unknown("device", [device], among: plant.devices.map(\.name), in: file)
        }
        var totalRequests = 0, totalTags = 0
        for device in devices {
            let (requests, tags) = printPlan(of: device)
            totalRequests += requests
            totalTags += tags
        }
        print("total: \(totalTags) tags in \(totalRequests) requests per scan of every group")
    }

    /// Prints the device, then each scan group's requests (with the tags they serve under `--tags`); returns the
    /// device's requests and tags per scan of every group.
    func printPlan(of device: Device) -> (requests: Int, tags: Int) {
        print("\(device.name)  \(device.endpoint) unit \(device.unitID)  limits: \(device.maxRegistersPerRequest) registers, "
              + "\(device.maxBitsPerRequest) bits, gap \(device.maxGap)")
        var requests = 0, tagCount = 0
        for group in device.scanGroups {
            let (groupTags, plan) = device.readPlan(group: group.name)
            guard !groupTags.isEmpty else { continue }
            print("  scan group \(group.name) every \(CheckConfigCommand.milliseconds(group.period)) ms: "
                  + "\(groupTags.count) tags in \(plan.requests.count) requests, \(plan.registersRead) read, "
                  + "\(plan.registersBridged) bridged")
            for request in plan.requests {
                let last = request.address + request.count - 1
                print("    \(String(format: "FC%02d", request.table.readFunction)) \(request.table.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                      + "\(request.address)…\(last) (\(request.count), \(request.bridged) bridged)")
                if tags { print("      " + request.items.map { groupTags[$0].name }.joined(separator: ", ")) }
            }
            requests += plan.requests.count
            tagCount += groupTags.count
        }
        return (requests, tagCount)
    }
}
