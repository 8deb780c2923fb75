import Foundation
public import Logging

/// Structured log lines on stderr, as logfmt (`time=… level=… msg="…" key=value`) or JSON lines.
public struct LogfmtHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable { case logfmt, json }

    public let label: String
    public let format: Format
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public init(label: String, format: Format) {
        (self.label, self.format) = (label, format)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = ISO8601DateFormatter().string(from: Date())
        var line: String
        switch format {
        case .logfmt:
            line = "time=\(time) level=\(event.level) msg=\(Self.quote(event.message.description))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(Self.quote("\(value)"))" }
        case .json:
            var object: [String: String] = ["time": time, "level": "\(event.level)", "msg": event.message.description, "logger": label]
            for (key, value) in merged { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    public static func quote(_ text: String) -> String {
        if !text.isEmpty && !text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

extension LogfmtHandler {
    /// Every logger of the process writes through this handler, at `level` and up.
    public static func bootstrap(format: Format, level: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            var handler = LogfmtHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
    }
}
