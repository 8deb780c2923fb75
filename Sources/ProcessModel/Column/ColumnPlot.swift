/// A line plot of outlet curves drawn as SVG by our own code (no plotting library).
public struct ColumnPlot: Sendable {
    public var title: String
    /// Named curves of (time in s, value) pairs.
    public var curves: [(String, [(Double, Double)])]
    public var width = 800.0
    public var height = 450.0

    public init(title: String, curves: [(String, [(Double, Double)])]) {
        self.title = title
        self.curves = curves
    }

    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

    /// The SVG document.
    public func svg() -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let points = curves.flatMap(\.1)
        let tMax = max(points.map(\.0).max() ?? 1, 1e-9)
        let yMax = max(points.map(\.1).max() ?? 1, 1e-9) * 1.05
        let yMin = min(points.map(\.1).min() ?? 0, 0)
        func x(_ t: Double) -> Double { left + t / tMax * plotWidth }
        func y(_ v: Double) -> Double { top + (1 - (v - yMin) / (yMax - yMin)) * plotHeight }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.format(width, 0))\" height=\"\(Self.format(height, 0))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(Self.format(left, 0))\" y=\"24\" font-size=\"15\">\(Self.escape(title))</text>\n"
        // Axes with five ticks each.
        out += "<path d=\"M\(Self.format(left, 1)),\(Self.format(top, 1)) V\(Self.format(top + plotHeight, 1)) H\(Self.format(left + plotWidth, 1))\" stroke=\"black\" fill=\"none\"/>\n"
        for i in 0...5 {
            let t = tMax * Double(i) / 5, v = yMin + (yMax - yMin) * Double(i) / 5
            out += "<text x=\"\(Self.format(x(t), 1))\" y=\"\(Self.format(top + plotHeight + 18, 1))\" text-anchor=\"middle\">\(Self.format(t, 0))</text>\n"
            out += "<text x=\"\(Self.format(left - 6, 1))\" y=\"\(Self.format(y(v) + 4, 1))\" text-anchor=\"end\">\(Self.format(v, 2))</text>\n"
            out += "<line x1=\"\(Self.format(left, 1))\" x2=\"\(Self.format(left + plotWidth, 1))\" y1=\"\(Self.format(y(v), 1))\" y2=\"\(Self.format(y(v), 1))\" stroke=\"#ddd\"/>\n"
        }
        out += "<text x=\"\(Self.format(left + plotWidth / 2, 1))\" y=\"\(Self.format(height - 10, 1))\" text-anchor=\"middle\">time (s)</text>\n"
        for (i, curve) in curves.enumerated() {
            let colour = Self.colours[i % Self.colours.count]
            var path = ""
            for (j, p) in curve.1.enumerated() {
                path += (j == 0 ? "M" : " L") + Self.format(x(p.0), 1) + "," + Self.format(y(p.1), 1)
            }
            out += "<path d=\"\(path)\" stroke=\"\(colour)\" stroke-width=\"1.5\" fill=\"none\"/>\n"
            out += "<text x=\"\(Self.format(left + plotWidth - 120, 1))\" y=\"\(Self.format(top + 16 + 16 * Double(i), 1))\" fill=\"\(colour)\">\(Self.escape(curve.0))</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Fixed-point text of a number with `decimals` digits after the point (no Foundation).
    static func format(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        }
        return text
    }

    static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
