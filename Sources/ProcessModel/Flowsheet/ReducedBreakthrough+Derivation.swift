extension ReducedBreakthrough {
    /// How a plant's reduced breakthrough was found: from its own column, placed at its DLE model's recovery.
    public struct Derivation: Sendable, Hashable {
        /// The shape fitted to a fresh bed of the plant's column; `nil` when its curve had no front to fit.
        public var column: ReducedBreakthrough?
        /// The curve the simulator runs: the column's shape placed at ``recovery``.
        public var breakthrough: ReducedBreakthrough
        /// The per-pass recovery it captures, and the DLE model that gave it.
        public var recovery: Double
        public var model: SorptionStage.Model
        /// One sentence on where each part comes from, for logs and `geolith simulate`.
        public var note: String
    }

    /// The reduced breakthrough of plant `p`: the front shape (leakage, width) of a fresh bed of the plant's
    /// own column (``DynamicSorption/freshBreakthrough(for:cells:maximumBedVolumes:)``), placed so that a load
    /// captures `recovery`, the per-pass recovery of the plant's DLE model (the flowsheet's
    /// ``FlowsheetResult/perPassRecovery``, with the column's cyclic steady state under `dle.model: dynamic`).
    ///
    /// Rerun it when the sorbent's parameters change: nothing here is a constant of the simulator's own. When
    /// the column's leakage cannot give `recovery` (a kinetically limited column against a specified 90 %),
    /// the plant's `dle.leakage` takes its place, and the note says so; without a front to fit, the width
    /// follows `dle.front_sharpness` (a sharper front, a narrower width: w = 1/(2·n)).
    ///
    /// - Throws: ``ColumnError`` when the column model fails.
    public static func derive(for p: FlowsheetParameters, recovery: Double, cells: Int = DynamicSorption.defaultCells)
        throws -> Derivation
    {
        let dle = p.dle
        let curve = try DynamicSorption.freshBreakthrough(for: p, cells: cells)
        let fitted = fit(curve)
        var notes: [String] = []
        var shape =
            fitted ?? ReducedBreakthrough(leakage: dle.leakage, width: 0.5 / dle.frontSharpness, halfBedVolumes: 1)
        if let fitted {
            notes.append(
                "front of the plant's column (fresh bed: leakage \(percent(fitted.leakage)), width \(figure(fitted.width)), "
                    + "50 % at \(figure(fitted.halfBedVolumes)) BV)")
        } else {
            notes.append(
                "the plant's column shows no front within its load: dle.leakage and dle.front_sharpness set the shape")
        }
        let target = min(max(recovery, 0), 1)
        let L = dle.loadBedVolumes, eps = dle.bedPorosity
        var placed = shape.placed(recovery: target, load: L, porosity: eps)
        if placed == nil, dle.leakage < shape.leakage {
            shape.leakage = dle.leakage
            placed = shape.placed(recovery: target, load: L, porosity: eps)
            notes.append(
                "its leakage cannot give \(percent(target)) per pass: dle.leakage \(percent(dle.leakage)) instead")
        }
        if placed == nil {
            // Even the plant's leakage is too high for the recovery asked: the leakage that leaves half the room.
            let room = max(0, 1 - target * L / max(L - eps, 1e-12))
            shape.leakage = room / 2
            placed = shape.placed(recovery: target, load: L, porosity: eps)
            notes.append("leakage \(percent(shape.leakage)) so that \(percent(target)) per pass can be captured")
        }
        let breakthrough = placed ?? shape
        notes.append(
            "placed at the \(dle.model.rawValue) model's \(percent(target)) per pass: 50 % at "
                + "\(figure(breakthrough.halfBedVolumes)) BV")
        return Derivation(
            column: fitted, breakthrough: breakthrough, recovery: target, model: dle.model,
            note: notes.joined(separator: "; "))
    }

    private static func percent(_ x: Double) -> String { figure(x * 100) + " %" }

    private static func figure(_ x: Double) -> String { FlowsheetResult.text(x) }
}
