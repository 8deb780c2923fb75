/// Whether a quantity is better large or small.
public enum Goal: String, Sendable, Hashable, CaseIterable {
    case minimise = "min"
    case maximise = "max"
}

/// The points no other point beats on both quantities: the trade-off curve of two objectives.
public enum ParetoFront {
    /// Indices of the non-dominated points, in increasing `x`. A point is dominated when another is at
    /// least as good on both quantities and better on one; of identical points the first is kept.
    /// Non-finite points are never on the front.
    public static func indices(x: [Double], y: [Double], x xGoal: Goal, y yGoal: Goal) -> [Int] {
        precondition(x.count == y.count, "x and y need the same count")
        // Minimise a and b: flip the quantities to maximise.
        let a = xGoal == .minimise ? x : x.map { -$0 }
        let b = yGoal == .minimise ? y : y.map { -$0 }
        let order = x.indices.filter { a[$0].isFinite && b[$0].isFinite }
            .sorted { a[$0] != a[$1] ? a[$0] < a[$1] : b[$0] != b[$1] ? b[$0] < b[$1] : $0 < $1 }
        var front: [Int] = []
        var best = Double.infinity
        for i in order where b[i] < best {
            front.append(i)
            best = b[i]
        }
        return front.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : $0 < $1 }
    }
}

/// A scatter plot of many points with the Pareto front of two objectives highlighted.
///
/// The drawn points are in `<g class="points" data-series="points" data-x data-y data-index>` and the front
/// in `<g class="pareto" data-series="Pareto front" …>`; the root carries `data-total` (all points given) and
/// `data-drawn`. Above ``maximumPoints`` every k-th point is drawn (the front always is).
public struct ScatterChart: Sendable {
    public var title: String
    public var xAxis: ChartAxis
    public var yAxis: ChartAxis
    public var x: [Double]
    public var y: [Double]
    /// What each point is called in its tooltip and in `data-index` (e.g. the sweep's point numbers).
    public var identifiers: [Int]
    /// The goals that define the front, or `nil` for a plain scatter plot.
    public var goals: (x: Goal, y: Goal)?
    public var maximumPoints = 4000
    public var width = 720.0
    public var height = 420.0

    public init(
        title: String, x xAxis: ChartAxis, y yAxis: ChartAxis, x: [Double], y: [Double], identifiers: [Int]? = nil,
        goals: (x: Goal, y: Goal)? = nil
    ) {
        precondition(x.count == y.count, "x and y need the same count")
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.x = x
        self.y = y
        self.identifiers = identifiers ?? Array(x.indices)
        self.goals = goals
    }

    /// Indices (into ``x``/``y``) of the front, empty without goals.
    public var front: [Int] { goals.map { ParetoFront.indices(x: x, y: y, x: $0.x, y: $0.y) } ?? [] }

    /// The SVG document.
    public func svg() -> String {
        let front = self.front
        let onFront = Set(front)
        let stride = max(1, (x.count + maximumPoints - 1) / maximumPoints)
        let drawn = x.indices.filter { ($0 % stride == 0 || onFront.contains($0)) && x[$0].isFinite && y[$0].isFinite }
        let frame = ChartFrame(
            width: width, height: height, xAxis: xAxis, yAxis: yAxis, xRange: finiteRange(x), yRange: finiteRange(y))
        var attributes = [
            ("data-chart", "scatter"), ("data-title", title), ("data-x-axis", xAxis.caption(span: 0)),
            ("data-y-axis", yAxis.caption(span: 0)), ("data-total", String(x.count)),
            ("data-drawn", String(drawn.count)),
        ]
        if let goals { attributes += [("data-x-goal", goals.x.rawValue), ("data-y-goal", goals.y.rawValue)] }
        var svg = SVGWriter(width: width, height: height, attributes: attributes)
        svg.element("title", [], text: title)
        frame.draw(title: title, into: &svg)
        let c = SVGWriter.coordinate
        let others = drawn.filter { !onFront.contains($0) }
        group("points", "points", others, colour: "#9aa7b8", into: &svg) { svg, i in
            svg.element("circle", [("cx", c(frame.x(x[i]))), ("cy", c(frame.y(y[i]))), ("r", "2.2")])
        }
        if goals != nil {
            let path = front.enumerated().map { ($0 == 0 ? "M" : "L") + c(frame.x(x[$1])) + "," + c(frame.y(y[$1])) }
            group("pareto", "Pareto front", front, colour: "#e15759", into: &svg) { svg, i in
                svg.begin("circle", [("cx", c(frame.x(x[i]))), ("cy", c(frame.y(y[i]))), ("r", "4")])
                svg.element(
                    "title", [],
                    text: "#\(identifiers[i]): \(NumberText.significant(x[i])), \(NumberText.significant(y[i]))")
                svg.end()
            }
            if path.count > 1 {
                svg.element(
                    "path",
                    [
                        ("class", "pareto-line"), ("d", path.joined(separator: " ")), ("stroke", "#e15759"),
                        ("fill", "none"), ("stroke-width", "1.4"),
                    ])
            }
            frame.legend([("all points", "#9aa7b8"), ("Pareto front", "#e15759")], into: &svg)
        }
        return svg.finish()
    }

    private func group(
        _ cls: String, _ name: String, _ members: [Int], colour: String, into svg: inout SVGWriter,
        draw: (inout SVGWriter, Int) -> Void
    ) {
        svg.begin(
            "g",
            [
                ("class", cls), ("data-series", name), ("data-x", SVGWriter.dataList(members.map { x[$0] })),
                ("data-y", SVGWriter.dataList(members.map { y[$0] })),
                ("data-index", members.map { String(identifiers[$0]) }.joined(separator: " ")), ("fill", colour),
            ])
        for i in members { draw(&svg, i) }
        svg.end()
    }
}
