import Foundation
import PackagePlugin

/// Embeds files in a target as Swift string constants at build time: the demo plant, the simulator's scenarios and
/// the dashboard's HTML, CSS and JavaScript, so that the one installed binary carries them (no resource bundle
/// next to it). A target that uses the plugin lists what it embeds in `EmbeddedFiles.txt` in its folder (excluded
/// from its sources): one `Enum.member path` a line, paths relative to the package, `folder/*.ext` for every file
/// of a folder as a dictionary by name.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let list = target.directoryURL.appending(path: "EmbeddedFiles.txt")
        guard FileManager.default.fileExists(atPath: list.path) else {
            throw EmbedError(message: "\(target.name) uses EmbedFiles but has no \(list.path)")
        }
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(displayName: "Embedding the files listed in \(target.name)/EmbeddedFiles.txt",
                          executable: try context.tool(named: "EmbedFilesTool").url,
                          arguments: [output.path, root.path, list.path],
                          inputFiles: [list] + (try Self.inputs(of: list, root: root)),
                          outputFiles: [output]),
        ]
    }

    /// The files a list names (a folder's files for `folder/*.ext`), so that the build runs again when one changes.
    static func inputs(of list: URL, root: URL) throws -> [URL] {
        let text = try String(contentsOf: list, encoding: .utf8)
        var files: [URL] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, !line.hasPrefix("#") else { continue }
            let path = String(parts[1])
            if let star = path.range(of: "/*.") {
                let folder = root.appending(path: String(path[..<star.lowerBound]))
                let suffix = String(path[path.index(after: star.lowerBound)...].dropFirst())
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                files += names.filter { $0.hasSuffix(suffix) }.map { folder.appending(path: $0) }
            } else {
                files.append(root.appending(path: path))
            }
        }
        return files
    }
}

struct EmbedError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
