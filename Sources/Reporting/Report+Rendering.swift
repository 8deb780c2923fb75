extension Report {
    /// GitHub-flavoured Markdown; figures are images linking `name.svg`.
    public func markdown() -> String {
        var out = "# " + title + "\n"
        for block in blocks {
            out += "\n"
            switch block {
            case let .heading(text, level):
                out += String(repeating: "#", count: level) + " " + text + "\n"
            case let .paragraph(text):
                out += text + "\n"
            case let .list(items):
                out += items.map { "- " + $0 + "\n" }.joined()
            case let .code(text):
                out += "```\n" + text + (text.hasSuffix("\n") ? "" : "\n") + "```\n"
            case let .table(table):
                func row(_ cells: [String]) -> String {
                    "| " + cells.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n"
                }
                out += row(table.headers)
                out += "|" + table.alignments.map { $0 == .right ? "---:|" : "---|" }.joined() + "\n"
                for cells in table.rows { out += row(cells) }
            case let .figure(figure):
                out += "![" + figure.caption + "](" + figure.name + ".svg)\n\n*" + figure.caption + "*\n"
            }
        }
        return out
    }

    /// One HTML page holding everything: styles inline, figures as inline SVG.
    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 68rem; margin: 2rem auto; padding: 0 1rem; }
            table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
            th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
            th { background: #f3f3f3; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.5rem 0; }
            figure svg { max-width: 100%; height: auto; }
            figcaption { color: #555; font-size: 0.9rem; }
            code, pre { background: #f5f5f5; font-family: ui-monospace, monospace; }
            pre { padding: 0.6rem; overflow-x: auto; }
            </style>
            </head>
            <body>
            <h1>\(Self.inline(title))</h1>

            """
        for block in blocks {
            switch block {
            case let .heading(text, level):
                out += "<h\(level)>" + Self.inline(text) + "</h\(level)>\n"
            case let .paragraph(text):
                out += "<p>" + Self.inline(text) + "</p>\n"
            case let .list(items):
                out += "<ul>\n" + items.map { "<li>" + Self.inline($0) + "</li>\n" }.joined() + "</ul>\n"
            case let .code(text):
                out += "<pre>" + Self.escape(text) + "</pre>\n"
            case let .table(table):
                func cls(_ i: Int) -> String { table.alignments[i] == .right ? " class=\"num\"" : "" }
                out += "<table>\n<thead><tr>"
                for (i, header) in table.headers.enumerated() { out += "<th\(cls(i))>" + Self.inline(header) + "</th>" }
                out += "</tr></thead>\n<tbody>\n"
                for cells in table.rows {
                    out += "<tr>"
                    for (i, cell) in cells.enumerated() { out += "<td\(cls(i))>" + Self.inline(cell) + "</td>" }
                    out += "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            case let .figure(figure):
                out +=
                    "<figure id=\"figure-\(figure.name)\">\n" + figure.svg
                    + "<figcaption>" + Self.inline(figure.caption) + "</figcaption>\n</figure>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }

    /// Escaped HTML text with `code` spans.
    static func inline(_ text: String) -> String {
        var out = ""
        var inCode = false
        for part in text.split(separator: "`", omittingEmptySubsequences: false) {
            let escaped = escape(String(part))
            out += inCode ? "<code>" + escaped + "</code>" : escaped
            inCode.toggle()
        }
        return out
    }

    static func escape(_ text: String) -> String { SVGWriter.escape(text) }
}
