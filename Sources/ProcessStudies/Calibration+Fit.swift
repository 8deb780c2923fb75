import Foundation
import ProcessModel

/// What a calibration found.
public struct CalibrationResult: Sendable {
    public var parameters: [Calibration.Parameter]
    public var estimates: [Double]
    /// Standard errors, in the parameters' units (`nil` for a parameter held by a bound).
    public var standardErrors: [Double?]
    /// 95 % confidence intervals (`nil` for a parameter held by a bound).
    public var intervals: [ClosedRange<Double>?]
    /// Correlations between the parameters (1 on the diagonal; 0 beside a parameter held by a bound).
    public var correlation: [[Double]]
    public var atBound: [Bool]
    /// Model values at the measured points, by run, series and point (the data's units).
    public var fitted: [[[Double]]]
    /// Points, and degrees of freedom (points − free parameters).
    public var points: Int
    public var degreesOfFreedom: Int
    /// Weighted residual sum of squares over the degrees of freedom: σ² when σ was estimated, the reduced χ²
    /// when every point gave its standard deviation.
    public var reducedChiSquare: Double
    /// The t quantile used for the intervals.
    public var tQuantile: Double
    public var iterations: Int
    /// Column solves: one per run per model evaluation (Jacobians by forward differences included).
    public var solves: Int
    public var converged: Bool
}

extension Calibration {
    /// Fits the parameters.
    ///
    /// - Throws: ``StudyError`` with code ``StudyError/Code/unidentifiable`` naming the parameters the data
    ///   cannot tell apart (checked at the start and at the solution), or ``StudyError`` when the model fails
    ///   at the start values; a model failure during the search only rejects that step.
    public func fit(maximumIterations: Int = 60) throws -> CalibrationResult {
        let scale = parameters.map { $0.start != 0 ? abs($0.start) : 1 }
        var solver = LeastSquares(
            lower: parameters.indices.map { parameters[$0].lower / scale[$0] },
            upper: parameters.indices.map { parameters[$0].upper / scale[$0] },
            typical: Array(repeating: 1, count: parameters.count))
        solver.maximumIterations = maximumIterations
        func values(_ x: [Double]) -> [Double] { x.indices.map { x[$0] * scale[$0] } }
        // The time steps of the last evaluation: the finite differences around it repeat them.
        var records: [ColumnStepRecord] = []
        let result: LeastSquares.Result
        do {
            result = try solver.minimise(from: parameters.map { $0.start / (abs($0.start) > 0 ? abs($0.start) : 1) }) {
                try identifiability($0, free: Array(repeating: true, count: $0.count))
            } model: { x in
                let evaluation = try predictions(values(x), replay: nil)
                records = evaluation.records
                return residuals(evaluation.values)
            } nearby: { x in
                residuals(try predictions(values(x), replay: records).values)
            }
        } catch let error as StudyError {
            throw error
        } catch {
            throw StudyError(.invalidInput, "the model fails at the start values: \(error)")
        }
        let free = result.atBound.map { !$0 }
        try identifiability(result.jacobian, free: free)
        let estimates = values(result.x)
        let n = pointCount, p = free.filter { $0 }.count
        let dof = max(n - p, 1)
        let chi = 2 * result.cost / Double(dof)
        let sigmaSquared = sigmaGiven ? 1 : chi
        // Covariance of the free parameters in their own units: σ² (J_pᵀ J_p)⁻¹ with J_p = J_x / scale.
        let freeIndex = free.indices.filter { free[$0] }
        let columns = freeIndex.map { j in result.jacobian[j].map { $0 / scale[j] } }
        let covariance = SymmetricMatrix(normalOf: columns).inverse()
        let t = StudentT.quantile975(degreesOfFreedom: dof)
        var errors = [Double?](repeating: nil, count: parameters.count)
        var intervals = [ClosedRange<Double>?](repeating: nil, count: parameters.count)
        var correlation = (0..<parameters.count).map { i in (0..<parameters.count).map { $0 == i ? 1.0 : 0.0 } }
        if let covariance {
            for (a, i) in freeIndex.enumerated() {
                let se = (sigmaSquared * covariance[a, a]).squareRoot()
                errors[i] = se
                intervals[i] = (estimates[i] - t * se)...(estimates[i] + t * se)
                for (b, j) in freeIndex.enumerated() where i != j {
                    correlation[i][j] = covariance[a, b] / (covariance[a, a] * covariance[b, b]).squareRoot()
                }
            }
        }
        return CalibrationResult(
            parameters: parameters, estimates: estimates, standardErrors: errors, intervals: intervals,
            correlation: correlation, atBound: result.atBound, fitted: try predictions(estimates), points: n,
            degreesOfFreedom: dof, reducedChiSquare: chi, tQuantile: t, iterations: result.iterations,
            solves: (result.evaluations + 1) * runs.count, converged: result.converged)
    }

    /// Throws when the data cannot tell some free parameters apart: a parameter without effect on the
    /// curves, or an eigenvalue of the scaled information matrix below ``identifiabilityThreshold`` of the
    /// largest, whose eigenvector names the parameters that move together.
    func identifiability(_ jacobian: [[Double]], free: [Bool]) throws(StudyError) {
        let indices = free.indices.filter { free[$0] }
        guard !indices.isEmpty else { return }
        let normal = SymmetricMatrix(normalOf: indices.map { jacobian[$0] })
        let keys = indices.map { parameters[$0].key }
        for (a, key) in keys.enumerated() where !(normal[a, a] > 0) {
            throw StudyError(.unidentifiable,
                "calibrate: \(key) has no effect on the measured curves, so the data cannot determine it: leave it out of --fit, or measure what it changes")
        }
        var scaled = normal
        for a in 0..<normal.size {
            for b in 0..<normal.size { scaled[a, b] = normal[a, b] / (normal[a, a] * normal[b, b]).squareRoot() }
        }
        let (values, vectors) = scaled.eigen()
        guard let smallest = values.first, let largest = values.last, smallest < Self.identifiabilityThreshold * largest
        else { return }
        let involved = vectors[0].enumerated().filter { abs($0.element) >= 0.3 }.map { keys[$0.offset] }
        var pairs = ""
        if involved.count >= 2, let inverse = scaled.inverse() {
            let a = keys.firstIndex(of: involved[0])!, b = keys.firstIndex(of: involved[1])!
            let r = inverse[a, b] / (inverse[a, a] * inverse[b, b]).squareRoot()
            pairs = String(format: "; correlation of the first two estimates %.6f", r)
        }
        throw StudyError(.unidentifiable,
            "calibrate: cannot tell \(involved.joined(separator: " and ")) apart: the measured curves change with them in (nearly) fixed "
                + "proportion (smallest eigenvalue of the scaled information matrix \(String(format: "%.1e", smallest / largest)) of the largest"
                + "\(pairs)). Fit fewer of them (fix the others at literature values) or add a run that separates them "
                + "(another feed concentration, flow or salt level).")
    }
}
