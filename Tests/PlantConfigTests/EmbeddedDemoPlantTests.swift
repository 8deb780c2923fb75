import Foundation
import PlantConfig
import Testing

/// `geolith demo` runs on the demo plant embedded at build time (the EmbedFiles plugin): it must be
/// PlantConfigs/demo.yaml byte for byte, and a valid plant.
@Suite struct EmbeddedDemoPlantTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedDemoPlantEqualsTheFileByteForByte() throws {
        let file = try Data(contentsOf: Self.root.appendingPathComponent("PlantConfigs/demo.yaml"))
        #expect(Data(EmbeddedDemoPlant.yaml.utf8) == file, "the embedded demo plant differs from PlantConfigs/demo.yaml")
        let plant = try PlantLoader.load(yaml: EmbeddedDemoPlant.yaml, file: "demo.yaml (embedded)")
        #expect(plant.id == "demo" && !plant.devices.isEmpty)
    }
}
