import Foundation
import Numerics
import ProcessModel
import Testing

@testable import ProcessStudies

/// Measured-run files: what they may hold, and garbage refused with the file and line; the small linear
/// algebra and statistics under the fit.
@Suite struct CalibrationDataTests {
    static let components = ["Cl", "Li"]

    static func parse(_ text: String) throws(StudyError) -> CalibrationRun {
        try CalibrationRun(text: text, file: "run.csv", components: components)
    }

    @Test func readsUnitsStandardDeviationsGapsAndSetLines() throws {
        let run = try Self.parse("""
            # run 2 of the lab column
            # set steps.load.flow_bv_per_h=20
            time_min,bed_volumes,Li_mg_per_l,Li_sd_mg_per_l,Cl_g_per_l
            0,0,0,0.5,
            30,5,1.5,0.5,59.5
            60,10,,,60.1
            """)
        #expect(run.settings.count == 1 && run.settings[0].key == "steps.load.flow_bv_per_h" && run.settings[0].value == "20")
        #expect(run.timeFactor == 60 && run.timeColumn == "time_min")
        #expect(run.series.map(\.component) == ["Li", "Cl"])
        #expect(run.series[0].points.count == 2 && run.series[0].points[1].sd == 0.5)
        #expect(run.series[1].points.map(\.value) == [59.5, 60.1] && run.series[1].massFactor == 1000)
        #expect(run.pointCount == 4)
    }

    /// Each kind of garbage names the file, the line and what to do.
    @Test(arguments: [
        ("Li_mg_per_l\n1\n", "run.csv:1: no time column"),
        ("time_s\n1\n", "run.csv:1: no measured column"),
        ("time_s,Li_ppm\n1,2\n", "run.csv:1: column \"Li_ppm\": the unit must end the name"),
        ("time_s,Na_mg_per_l\n1,2\n", "run.csv:1: column \"Na_mg_per_l\": no component \"Na\""),
        ("time_s,Li_mg_per_l\n1,2\n2,nan\n", "run.csv:3: Li_mg_per_l: \"nan\" is not a finite number"),
        ("time_s,Li_mg_per_l\n1,2\n2,abc\n", "run.csv:3: Li_mg_per_l: \"abc\" is not a finite number"),
        ("time_s,Li_mg_per_l\n5,2\n3,2\n", "run.csv:3: time_s 3.0 does not increase"),
        ("time_s,Li_mg_per_l\n1,2\n2,3,4\n", "run.csv:3: 3 fields for the header's 2"),
        ("time_s,Li_mg_per_l,Li_sd_mg_per_l\n1,2,0\n", "run.csv:2: Li_sd_mg_per_l must be > 0"),
        ("time_s,Li_mg_per_l,Li_mg_per_l\n1,2,3\n", "run.csv:1: Li is given twice"),
        ("time_s,Li_sd_mg_per_l\n1,2\n", "run.csv:1: Li_sd_mg_per_l: give the column Li_mg_per_l before"),
        ("time_s,Li_mg_per_l\n,2\n", "run.csv:2: time_s is empty"),
        ("# set nothing\ntime_s,Li_mg_per_l\n", "run.csv:1: a set line needs key=value"),
        ("", "run.csv: no header line"),
        ("time_s,Li_mg_per_l\n1,\n", "run.csv: no measured values"),
    ])
    func garbageIsRefusedWithItsLine(text: String, message: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.message.hasPrefix(message), "got \(error.message)")
        }
    }

    @Test func studentQuantileMatchesTables() {
        // t(0.975, ν) from statistics tables.
        for (nu, t) in [(1, 12.7062), (5, 2.5706), (10, 2.2281), (11, 2.2010), (15, 2.1314), (30, 2.0423), (120, 1.9799), (100_000, 1.96)] {
            #expect(StudentT.quantile975(degreesOfFreedom: nu).isApproximatelyEqual(to: t, absoluteTolerance: 2e-4), "ν = \(nu)")
        }
    }

    @Test func symmetricMatrixSolvesInvertsAndDecomposes() throws {
        var a = SymmetricMatrix(size: 3)
        let values: [[Double]] = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]
        for i in 0..<3 { for j in 0..<3 { a[i, j] = values[i][j] } }
        let x = try #require(a.solve([1, 2, 3]))
        for i in 0..<3 {
            let row = (0..<3).reduce(0.0) { $0 + values[i][$1] * x[$1] }
            #expect(row.isApproximatelyEqual(to: Double(i + 1), relativeTolerance: 1e-13))
        }
        let (eigenvalues, vectors) = a.eigen()
        #expect(eigenvalues == eigenvalues.sorted())
        #expect(eigenvalues.reduce(0, +).isApproximatelyEqual(to: 9, relativeTolerance: 1e-12))  // the trace
        for (lambda, v) in zip(eigenvalues, vectors) {
            for i in 0..<3 {
                let av = (0..<3).reduce(0.0) { $0 + values[i][$1] * v[$1] }
                #expect(av.isApproximatelyEqual(to: lambda * v[i], absoluteTolerance: 1e-12))
            }
        }
        var singular = SymmetricMatrix(size: 2)
        singular[0, 0] = 1; singular[0, 1] = 1; singular[1, 0] = 1; singular[1, 1] = 1
        #expect(singular.solve([1, 1]) == nil)
    }

    /// Levenberg–Marquardt on y = a·e^{−b t}: exact data give a and b back; bounds are kept.
    @Test func levenbergMarquardtFitsAnExponential() throws {
        let t = (0..<40).map { Double($0) * 0.25 }
        let data = t.map { 3 * Foundation.exp(-0.7 * $0) }
        let solver = LeastSquares(lower: [0, 0], upper: [10, 10], typical: [1, 1])
        let result = try solver.minimise(from: [1, 2]) { x in zip(t, data).map { x[0] * Foundation.exp(-x[1] * $0.0) - $0.1 } }
        #expect(result.x[0].isApproximatelyEqual(to: 3, relativeTolerance: 1e-6))
        #expect(result.x[1].isApproximatelyEqual(to: 0.7, relativeTolerance: 1e-6))
        let bounded = LeastSquares(lower: [0, 0], upper: [10, 0.5], typical: [1, 1])
        let held = try bounded.minimise(from: [1, 0.2]) { x in zip(t, data).map { x[0] * Foundation.exp(-x[1] * $0.0) - $0.1 } }
        #expect(held.x[1] == 0.5 && held.atBound[1] && !held.atBound[0])
    }
}
