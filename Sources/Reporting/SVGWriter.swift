/// Writes an SVG document element by element, with escaped text and attributes in the order given, so the
/// same chart always gives the same bytes.
///
///     var svg = SVGWriter(width: 400, height: 300, attributes: [("data-chart", "line")])
///     svg.element("line", [("x1", "0"), ("y1", "0"), ("x2", "10"), ("y2", "10")])
///     let text = svg.finish()
public struct SVGWriter: Sendable {
    private var text: String
    private var open: [String] = []

    /// Starts a document of `width` × `height` user units with a white background.
    public init(width: Double, height: Double, attributes: [(String, String)] = []) {
        text = ""
        let size = [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", NumberText.fixed(width, 0)),
            ("height", NumberText.fixed(height, 0)),
            ("viewBox", "0 0 \(NumberText.fixed(width, 0)) \(NumberText.fixed(height, 0))"),
            ("font-family", "sans-serif"), ("font-size", "12"),
        ]
        begin("svg", size + attributes)
        element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")])
    }

    /// Opens an element that later elements nest in, until ``end()``.
    public mutating func begin(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<" + name + Self.attributeText(attributes) + ">\n"
        open.append(name)
    }

    /// Closes the innermost open element.
    public mutating func end() {
        precondition(!open.isEmpty, "SVGWriter.end() without begin()")
        text += "</" + open.removeLast() + ">\n"
    }

    /// An element without children, or with `content` as its escaped text.
    public mutating func element(_ name: String, _ attributes: [(String, String)], text content: String? = nil) {
        if let content {
            text += "<" + name + Self.attributeText(attributes) + ">" + Self.escape(content) + "</" + name + ">\n"
        } else {
            text += "<" + name + Self.attributeText(attributes) + "/>\n"
        }
    }

    /// A text label at (x, y).
    public mutating func label(
        _ content: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
        extra: [(String, String)] = []
    ) {
        var attributes = [("x", Self.coordinate(x)), ("y", Self.coordinate(y))]
        if anchor != "start" { attributes.append(("text-anchor", anchor)) }
        if let size { attributes.append(("font-size", NumberText.fixed(size, 0))) }
        element("text", attributes + extra, text: content)
    }

    /// Closes every open element and returns the document.
    public mutating func finish() -> String {
        while !open.isEmpty { end() }
        return text
    }

    /// A coordinate with one decimal: enough for screens, and short.
    public static func coordinate(_ value: Double) -> String { NumberText.fixed(value, 1) }

    /// Numbers for a `data-*` attribute: exact values separated by spaces.
    public static func dataList(_ values: [Double]) -> String {
        values.map(NumberText.exact).joined(separator: " ")
    }

    /// Text safe inside XML elements and double-quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        var out = ""
        for (name, value) in attributes { out += " " + name + "=\"" + escape(value) + "\"" }
        return out
    }
}
