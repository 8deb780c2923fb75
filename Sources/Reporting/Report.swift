/// A report built once from sections (headings, paragraphs, lists, tables, figures) and written both as
/// Markdown (figures as linked SVG files) and as one self-contained HTML page (figures inline, no scripts,
/// no external styles or fonts).
///
///     var report = Report(title: "Sweep of rittershoffen")
///     report.heading("Best points")
///     report.table(["point", "Li [t/yr]"], [["12", "310"]], alignments: [.right, .right])
///     report.figure(chart.svg(), name: "pareto", caption: "Li yield against fresh water")
///     for file in report.files() { /* write file.name, file.contents */ }
///
/// Text in backticks is code in both forms; other text is written as given (escaped in HTML).
public struct Report: Sendable {
    public var title: String
    public var blocks: [Block] = []

    /// One piece of a report.
    public enum Block: Sendable, Hashable {
        case heading(String, level: Int)
        case paragraph(String)
        case list([String])
        case table(Table)
        case figure(Figure)
        /// Preformatted text (command lines, logs).
        case code(String)
    }

    /// A table of text cells.
    public struct Table: Sendable, Hashable {
        public enum Alignment: Sendable, Hashable { case left, right }
        public var headers: [String]
        public var rows: [[String]]
        public var alignments: [Alignment]

        public init(headers: [String], rows: [[String]], alignments: [Alignment]? = nil) {
            precondition(rows.allSatisfy { $0.count == headers.count }, "every row needs one cell per header")
            self.headers = headers
            self.rows = rows
            self.alignments = alignments ?? headers.map { _ in .left }
            precondition(self.alignments.count == headers.count, "one alignment per column")
        }
    }

    /// An SVG figure: written to `name.svg` beside the Markdown, inline in the HTML.
    public struct Figure: Sendable, Hashable {
        public var name: String
        public var caption: String
        public var svg: String

        public init(name: String, caption: String, svg: String) {
            precondition(
                !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." },
                "a figure name is a file stem: letters, digits, - _ .")
            self.name = name
            self.caption = caption
            self.svg = svg
        }
    }

    public init(title: String) { self.title = title }

    public mutating func heading(_ text: String, level: Int = 2) {
        precondition((2...4).contains(level), "level 1 is the title; sections use 2...4")
        blocks.append(.heading(text, level: level))
    }

    public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }

    public mutating func list(_ items: [String]) { blocks.append(.list(items)) }

    public mutating func code(_ text: String) { blocks.append(.code(text)) }

    public mutating func table(_ headers: [String], _ rows: [[String]], alignments: [Table.Alignment]? = nil) {
        blocks.append(.table(Table(headers: headers, rows: rows, alignments: alignments)))
    }

    public mutating func figure(_ svg: String, name: String, caption: String) {
        blocks.append(.figure(Figure(name: name, caption: caption, svg: svg)))
    }

    /// The figures, in report order.
    public var figures: [Figure] {
        blocks.compactMap { if case let .figure(f) = $0 { return f } else { return nil } }
    }

    /// Every file of the report: `<base>.md`, `<base>.html` and one `<name>.svg` per figure.
    public func files(baseName: String = "report") -> [(name: String, contents: String)] {
        var names = Set<String>()
        for figure in figures {
            precondition(names.insert(figure.name).inserted, "two figures are named \(figure.name)")
        }
        return [(baseName + ".md", markdown()), (baseName + ".html", html())]
            + figures.map { ($0.name + ".svg", $0.svg) }
    }
}
