/// The demo plant's description, PlantConfigs/demo.yaml, embedded at build time byte for byte (the EmbedFiles
/// plugin, `EmbeddedFiles.txt`): `geolith demo` and the benchmarks run on it from any folder.
public enum EmbeddedDemoPlant {
    public static var yaml: String { ShippedPlants.demo }
}
