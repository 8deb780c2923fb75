import Foundation
import Testing

/// No function over 80 lines (issue 18: a thin executable, each command's `run()` a few lines). Checked in the
/// executables, the daemon's assembly, the monitor and its HTTP server; and no command's `run()` over 20 lines.
@Suite struct FunctionLengthTests {
    static let limit = 80
    /// A command's `run()` reads as a few steps: load, one named call per step, print or write.
    static let runLimit = 20
    static let folders = ["Sources/geolith", "Sources/geolith-bench", "Sources/MonitorDaemon", "Sources/CommandSupport",
                          "Sources/Monitor", "Sources/MonitorServer"]

    /// The Swift files checked: every file of `folders`.
    static func checked() throws -> [URL] {
        let root = GeolithBinary.repositoryRoot, files = FileManager.default
        let urls = try folders.flatMap { folder in
            try files.subpathsOfDirectory(atPath: root.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".swift") }.map { root.appendingPathComponent(folder).appendingPathComponent($0) }
        }
        return urls
    }

    /// Each function, initialiser and computed property of `text` with its first line and length in lines, found by
    /// counting braces outside string literals and comments.
    static func functions(in text: String) -> [(name: String, line: Int, lines: Int)] {
        let lines = text.components(separatedBy: "\n")
        let declaration = /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|mutating|nonisolated|override|final)\s+)*(func\s+\w+|init[?!]?\s*[<(])/
        var found: [(String, Int, Int)] = []
        for (index, line) in lines.enumerated() {
            guard let match = line.firstMatch(of: declaration) else { continue }
            var depth = 0, started = false, end = index
            while end < lines.count {
                let code = lines[end].replacing(/"(?:\\.|[^"\\])*"/, with: "").split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                depth += code.filter { $0 == "{" }.count - code.filter { $0 == "}" }.count
                if code.contains("{") { started = true }
                if started && depth <= 0 { break }
                end += 1
            }
            if started { found.append((String(match.1), index + 1, end - index + 1)) }
        }
        return found
    }

    @Test func theCounterMeasuresAFunction() {
        let text = "struct S {\n    func f() {\n        let s = \"{\"\n        if true {\n        }\n    }\n}\n"
        let found = Self.functions(in: text)
        #expect(found.count == 1 && found[0].name == "func f" && found[0].line == 2 && found[0].lines == 5, "\(found)")
    }

    @Test func noFunctionIsLongerThanTheLimit() throws {
        let files = try Self.checked()
        #expect(files.count > 60, "\(files.count) files found")
        var long: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for function in Self.functions(in: text) where function.lines > Self.limit {
                long.append("\(file.lastPathComponent):\(function.line) \(function.name): \(function.lines) lines")
            }
        }
        #expect(long.isEmpty, "functions over \(Self.limit) lines:\n\(long.joined(separator: "\n"))")
    }

    @Test func everyCommandRunIsAFewLines() throws {
        let folder = GeolithBinary.repositoryRoot.appendingPathComponent("Sources/geolith")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        var runs = 0
        var long: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for function in Self.functions(in: text) where function.name == "func run" {
                runs += 1
                if function.lines > Self.runLimit { long.append("\(file):\(function.line) run(): \(function.lines) lines") }
            }
        }
        #expect(runs >= 16, "\(runs) commands' run() found in Sources/geolith")
        #expect(long.isEmpty, "run() over \(Self.runLimit) lines:\n\(long.joined(separator: "\n"))")
    }
}
