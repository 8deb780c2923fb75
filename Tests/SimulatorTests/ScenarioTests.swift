import Foundation
import Simulator
import Testing

@Suite struct ScenarioTests {
    @Test func shippedScenariosParse() throws {
        #expect(Set(Scenario.shippedNames).isSuperset(of: ["normal-week", "pump-trip", "sensor-faults", "comm-faults", "sorbent-fade"]))
        for name in Scenario.shippedNames {
            let scenario = try Scenario.load(name)
            #expect(scenario.name == name)
            #expect(scenario.duration != nil)
        }
        let trip = try Scenario.load("pump-trip")
        #expect(trip.events == [ScenarioEvent(at: 1800, duration: 2700, kind: .pumpTrip)])
        let comm = try Scenario.load("comm-faults")
        #expect(comm.events.contains { $0.kind == .exception(device: .servingSignal("product.rate"), table: nil, range: 0...65535, code: 4) })
    }

    /// The binary carries the scenarios embedded: they must equal the files users read.
    @Test func embeddedScenariosMatchTheFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Simulator/Scenarios").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count == Scenario.shippedNames.count)
        for file in files {
            let fromFile = try Scenario.parse(String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
            #expect(try Scenario.load(String(file.dropLast(5))) == fromFile, "\(file): the embedded copy differs (EmbedFiles plugin)")
        }
    }

    @Test func durationsAndComposition() throws {
        let text = """
        name: mixed
        include: [pump-trip]
        events:
          - {at: 90, kind: li-step, value: 0.8}
          - {at: 1.5h, for: 2d, kind: stuck, tag: PW1.TT101}
        """
        let scenario = try Scenario.parse(text)
        #expect(scenario.events.map(\.at) == [90, 1800, 5400])
        #expect(scenario.events[2].duration == 172_800)
        #expect(scenario.events[2].isActive(at: 5400, step: 1))
        #expect(!scenario.events[2].isActive(at: 5400 + 172_800, step: 1))
    }

    @Test(arguments: [
        ("name: x\nevents: [{at: 1m, kind: boom}]", "unknown kind 'boom'"),
        ("name: x\nevents: [{at: 1m, kind: stuck}]", "needs either a 'tag' or a 'signal'"),
        ("name: x\nevents: [{at: soon, kind: pump-trip}]", "is not a duration"),
        ("name: x\nevents: [{at: 1m, kind: li-step, value: 50}]", "outside"),
        ("name: x\nevnts: []", "unknown key 'evnts'"),
        ("name: x\nevents: [{at: 1m, kind: pump-trip, tagg: a}]", "unknown key 'tagg'"),
        ("name: x\ninclude: [x]\nevents: []", "no such scenario"),
        ("- a\n- b", "mapping"),
        ("name: [unclosed", "not YAML"),
        ("name: x\nevents: [{at: 1m, kind: exception, device: d, range: [5, 1]}]", "range"),
    ])
    func badScenariosSayWhatIsWrong(text: String, expected: String) {
        do {
            _ = try Scenario.parse(text, file: "bad.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
            #expect("\(error)".hasPrefix("bad.yaml") || "\(error)".hasPrefix("x"), "\(error)")
        }
    }
}

@Suite struct ScenarioCompositionTests {
    /// `a+b` runs two scenarios together: every event of both, in time order, for the longer duration.
    @Test func scenariosJoinWithAPlus() throws {
        let comm = try Scenario.load("comm-faults"), sensors = try Scenario.load("sensor-faults")
        let both = try Scenario.load("comm-faults+sensor-faults")
        #expect(both.events.count == comm.events.count + sensors.events.count)
        #expect(both.events.map(\.at) == both.events.map(\.at).sorted())
        #expect(both.duration == max(comm.duration!, sensors.duration!))
        #expect(throws: ScenarioError.self) { try Scenario.load("comm-faults+no-such-scenario") }
    }
}
