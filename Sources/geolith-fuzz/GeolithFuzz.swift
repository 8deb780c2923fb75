// geolith-fuzz: the fuzz harnesses of GeolithFuzzing, as a seeded property loop (a normal build) or under
// libFuzzer (built with -sanitize=fuzzer -parse-as-library -DLIBFUZZER; `make fuzz` does both).
import Foundation
import GeolithFuzzing
import ProcessModel

#if LIBFUZZER
/// The harness libFuzzer drives, named by GEOLITH_FUZZ_TARGET.
let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["GEOLITH_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set GEOLITH_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let failure = fuzzTarget.check(UnsafeRawBufferPointer(start: data, count: size)) { fatalError(failure) }
    return 0
}

/// libFuzzer's driver, for executables that have their own `main` (SwiftPM names the entry point itself).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The entry point SwiftPM links as `main`: hands the command line to libFuzzer.
@_cdecl("geolith_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &vector) { data, size in
        guard let data else { return 0 }
        return fuzzOne(data, size)
    }
}
#else
/// `geolith-fuzz TARGET|all [--inputs N] [--seed S] [--corpus DIR]`: the seeded property loop.
@main
struct GeolithFuzz {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        let inputs = option("--inputs").map { Int($0) ?? -1 } ?? 10_000
        let seed = option("--seed").map { UInt64($0) ?? 0 } ?? 1
        let corpusFolder = option("--corpus") ?? "PlantConfigs"
        guard arguments.count == 1, (1...100_000_000).contains(inputs),
              let targets = arguments[0] == "all" ? FuzzTarget.allCases : FuzzTarget(rawValue: arguments[0]).map({ [$0] }) else {
            print("usage: geolith-fuzz TARGET|all [--inputs N] [--seed S] [--corpus DIR]   targets: "
                  + FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
            exit(2)
        }
        let corpus = ((try? FileManager.default.contentsOfDirectory(atPath: corpusFolder)) ?? []).sorted()
            .filter { $0.hasSuffix(".yaml") }
            .compactMap { FileManager.default.contents(atPath: corpusFolder + "/" + $0).map(Array.init) }
        var failed = false
        for target in targets {
            let outcome = target.run(inputs: inputs, seed: seed, corpus: corpus)
            print(String(format: "%@: %d inputs, %d failures, %.1f s (%.0f inputs/s), seed %llu", target.rawValue, outcome.inputs,
                         outcome.failures, outcome.seconds, Double(outcome.inputs) / max(outcome.seconds, 1e-9), seed))
            for example in outcome.examples { print("  \(example.prefix(400))") }
            failed = failed || outcome.failures > 0
        }
        exit(failed ? 1 : 0)
    }
}
#endif
