import ProcessModel

extension PlantDynamics {
    /// ``stepDLE(_:brineFlow:brineLithium:capacity:)`` with every column stepped by the plant's dynamic column
    /// (``DynamicSorption/column(for:cells:)``, the column `dle.model: dynamic` runs) at the flows of the moment.
    mutating func stepResolvedDLE(_ dt: Double, brineFlow qb: Double, brineLithium cb: Double, capacity s: Double)
        -> DLEStep
    {
        let d = disturbances
        var out = DLEStep()
        var loading = 0
        for i in columns.indices {
            columns[i].phase = k.phase(columns[i].clock)
            if columns[i].phase == .load { loading += 1 }
        }
        let q = k.regenerationFlow, qe = q * d.eluentAvailability
        var spent = 0.0
        for i in columns.indices where columns[i].phase == .wash {
            let (outlet, kg) = stepColumnModel(i, flow: q, inlet: 0, capacity: s, dt: dt)
            spent += kg
            out.wash += q
            setColumn(i, outlet: outlet, flow: q)
        }
        let (recycled, recycledLi) = stepSpentWash(dt, volume: out.wash * dt, lithium: spent)
        out.feed = qb + recycled
        let cf = out.feed > 0 ? (qb * cb + recycledLi) / out.feed : cb
        let ql = loading > 0 ? out.feed / Double(loading) : 0
        for i in columns.indices where columns[i].phase == .load {
            let (outlet, kg) = stepColumnModel(i, flow: ql, inlet: cf, capacity: s, dt: dt)
            out.raffinateLi += kg
            out.raffinateRate += outlet * ql
            setColumn(i, outlet: outlet, flow: ql)
        }
        for i in columns.indices where columns[i].phase == .elute {
            let (outlet, kg) = stepColumnModel(i, flow: qe, inlet: eluentLithium, capacity: s, dt: dt)
            out.eluate += qe
            out.eluateLi += kg
            out.eluateRate += outlet * qe
            setColumn(i, outlet: outlet, flow: qe)
        }
        return out
    }

    /// Steps column `i`'s model through `dt` seconds at `flow` (m³/s) of liquid at `inlet` (kg/m³ Li).
    ///
    /// - Returns: the outlet Li (kg/m³) and the Li that left the column (kg); a failed step keeps the column's
    ///   state and counts in ``columnModelFailures``.
    private mutating func stepColumnModel(_ i: Int, flow: Double, inlet: Double, capacity s: Double, dt: Double)
        -> (outlet: Double, kg: Double)
    {
        let previous = values[PlantSignal.slot(.outletLi, column: i + 1)] / 1000
        guard dt > 0, columnModels != nil else { return (previous, 0) }
        let molar = AtomicWeight.lithium
        let geometry = columnModels![i].model.geometry
        let kind: ColumnStepKind = columns[i].phase == .load ? .load : columns[i].phase == .wash ? .wash : .elute
        columnModels![i].capacityFactor = s
        let step = ColumnStep(
            name: kind.rawValue, kind: kind,
            flow: ColumnFlow(
                superficialVelocity: max(flow, 1e-12) / geometry.area,
                inlet: plantColumn!.inlet(kind, lithium: inlet * 1000 / molar)),
            end: .duration(dt))
        guard let result = try? columnModels![i].run(step) else {
            columnModelFailures += 1
            return (previous, 0)
        }
        let kg = result.out[plantColumn!.lithium] * molar / 1000
        return (result.volume > 0 ? kg / result.volume : 0, kg)
    }
}
