import Reporting

extension SweepReport {
    /// Plots: the objective against each varied parameter, a heat map over the first two, the Pareto front.
    func figures(best: Int?, into report: inout Report) {
        let plan = table.plan
        guard let objectiveColumn = table.column(objective.key) else { return }
        let yAxis = ChartAxis(objective.key, unit: table.unit(objective.key))
        report.heading("Plots")
        let ok = okRows
        for (d, dimension) in plan.dimensions.enumerated() {
            let xAxis = axis(d)
            let name = "\(objective.key)-vs-\(dimension.key)"
            if case .grid = plan.design, let best {
                // The slice through the best point: the other parameters at its values.
                let count = dimension.gridCount!
                let bestPoint = table.points[best]
                var xs: [Double] = [], ys: [Double] = []
                for k in 0..<count {
                    guard let point = plan.gridPoint(bestPoint, moving: d, to: k), let r = row(of: point) else {
                        continue
                    }
                    xs.append(table.inputs[d][r])
                    ys.append(table.statuses[r] == .ok ? objectiveColumn[r] : .nan)
                }
                var chart = LineChart(title: "\(objective.key) against \(dimension.key)", x: xAxis, y: yAxis)
                chart.add(objective.key, x: xs, y: ys, markers: true)
                let others = plan.dimensions.count > 1 ? ", the other parameters at the best point's values" : ""
                report.figure(
                    chart.svg(), name: name, caption: "`\(objective.key)` against `\(dimension.key)`\(others).")
            } else {
                let chart = ScatterChart(
                    title: "\(objective.key) against \(dimension.key)", x: xAxis, y: yAxis,
                    x: ok.map { table.inputs[d][$0] }, y: ok.map { objectiveColumn[$0] },
                    identifiers: ok.map { table.points[$0] })
                report.figure(
                    chart.svg(), name: name, caption: "`\(objective.key)` of every point against `\(dimension.key)`.")
            }
        }
        if plan.dimensions.count >= 2 { heatMap(objectiveColumn, best: best, into: &report) }
        pareto(into: &report)
    }

    private func heatMap(_ column: [Double], best: Int?, into report: inout Report) {
        let plan = table.plan
        let (a, b) = (0, 1)
        let xs: [Double], ys: [Double], z: [[Double]]
        var highlight: (column: Int, row: Int)?
        if case .grid = plan.design, let best {
            xs = (0..<plan.dimensions[a].gridCount!).map(plan.dimensions[a].gridValue)
            ys = (0..<plan.dimensions[b].gridCount!).map(plan.dimensions[b].gridValue)
            let bestPoint = table.points[best]
            z = ys.indices.map { j in
                xs.indices.map { i in
                    guard let p1 = plan.gridPoint(bestPoint, moving: a, to: i),
                        let p2 = plan.gridPoint(p1, moving: b, to: j),
                        let r = row(of: p2), table.statuses[r] == .ok
                    else { return .nan }
                    return column[r]
                }
            }
            highlight = (
                plan.gridIndex(point: bestPoint, dimension: a)!, plan.gridIndex(point: bestPoint, dimension: b)!
            )
        } else {
            // A sample: the mean of the objective in bins of the two parameters.
            let bins = min(12, max(2, Int((Double(table.count) / 5).squareRoot())))
            let (xEdges, xCentres) = binning(a, bins)
            let (yEdges, yCentres) = binning(b, bins)
            xs = xCentres
            ys = yCentres
            var sum = [[Double]](repeating: [Double](repeating: 0, count: xs.count), count: ys.count)
            var n = sum
            for r in okRows where column[r].isFinite {
                let i = bin(table.inputs[a][r], xEdges), j = bin(table.inputs[b][r], yEdges)
                sum[j][i] += column[r]
                n[j][i] += 1
            }
            z = ys.indices.map { j in xs.indices.map { i in n[j][i] > 0 ? sum[j][i] / n[j][i] : .nan } }
        }
        var map = HeatMap(
            title: "\(objective.key) over \(plan.dimensions[a].key) and \(plan.dimensions[b].key)", x: axis(a),
            y: axis(b),
            z: ChartAxis(objective.key, unit: table.unit(objective.key)), x: xs, y: ys, z: z)
        map.highlight = highlight
        let how: String
        if case .grid = plan.design {
            how = plan.dimensions.count > 2 ? "; the other parameters at the best point's values" : ""
        } else {
            how = "; mean of the points in each cell"
        }
        report.figure(
            map.svg(), name: "heatmap",
            caption: "`\(objective.key)` over `\(plan.dimensions[a].key)` and "
                + "`\(plan.dimensions[b].key)`\(how); the outlined cell holds the best point.")
    }

    private func pareto(into report: inout Report) {
        guard let li = table.column("li_t_per_year"), let water = table.column("fresh_water_m3_per_t") else { return }
        let ok = okRows.filter { li[$0].isFinite && water[$0].isFinite }
        let chart = ScatterChart(
            title: "Li yield against fresh water use",
            x: ChartAxis("fresh water", unit: table.unit("fresh_water_m3_per_t")),
            y: ChartAxis("Li", unit: table.unit("li_t_per_year")), x: ok.map { water[$0] }, y: ok.map { li[$0] },
            identifiers: ok.map { table.points[$0] }, goals: (.minimise, .maximise))
        report.heading("Pareto front: Li yield against fresh water", level: 3)
        report.figure(
            chart.svg(), name: "pareto",
            caption:
                "Li produced per year against fresh water per tonne of product; red: the points no other beats on both."
        )
        let front = chart.front.map { ok[$0] }
        let headers =
            ["point"] + table.plan.dimensions.map(\.columnTitle) + [
                "fresh_water_m3_per_t [m³/t]", "li_t_per_year [t/yr]",
            ]
        let rows = front.prefix(20).map { r in ["\(table.points[r])"] + inputTexts(r) + [text(water[r]), text(li[r])] }
        report.paragraph("\(front.count) point(s) on the front" + (front.count > 20 ? "; the first 20:" : ":"))
        report.table(headers, rows, alignments: headers.map { _ in .right })
    }

    private func axis(_ d: Int) -> ChartAxis {
        let dimension = table.plan.dimensions[d]
        return ChartAxis(dimension.key, unit: dimension.unit, categories: dimension.isChoice ? dimension.words : nil)
    }

    private func row(of point: Int) -> Int? {
        let r = SweepSensitivity.lowerBound(table.points, point)
        return r < table.points.count && table.points[r] == point ? r : nil
    }

    /// Equal bins over dimension `d` (a choice's words are its bins): edges and centres.
    private func binning(_ d: Int, _ count: Int) -> (edges: [Double], centres: [Double]) {
        let dimension = table.plan.dimensions[d]
        if dimension.isChoice || dimension.gridCount != nil && dimension.gridCount! <= count {
            let values = (0..<(dimension.gridCount ?? 1)).map(dimension.gridValue)
            let edges = values.indices.dropFirst().map { (values[$0 - 1] + values[$0]) / 2 }
            return ([-Double.infinity] + edges + [Double.infinity], values)
        }
        let xs = table.inputs[d].filter(\.isFinite)
        let low = xs.min() ?? 0, high = xs.max() ?? 1
        let width = (high - low) / Double(count)
        let edges = (0...count).map { low + Double($0) * width }
        return (edges, (0..<count).map { low + (Double($0) + 0.5) * width })
    }

    private func bin(_ v: Double, _ edges: [Double]) -> Int {
        var i = 0
        while i + 2 < edges.count && v >= edges[i + 1] { i += 1 }
        return i
    }
}
