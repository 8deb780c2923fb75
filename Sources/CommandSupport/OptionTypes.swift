public import ArgumentParser
public import Logging
public import ProcessModel
public import ProcessStudies
public import RegisterVocabulary

/// `host:port` on the command line: `127.0.0.1:8080`, `[::1]:8080` (IPv6 in brackets), `plc.local:502`, with an
/// optional `tcp://`. Parsed once, by ArgumentParser, for every option that takes an address.
public struct HostPort: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(argument: String) {
        try? self.init(parsing: argument)
    }

    /// - Throws: ``ValidationError`` saying what is wrong with the text.
    public init(parsing text: String) throws {
        var rest = Substring(text)
        if rest.hasPrefix("tcp://") { rest = rest.dropFirst(6) }
        guard let colon = rest.lastIndex(of: ":") else {
            throw ValidationError("'\(text)' is not host:port (e.g. 127.0.0.1:502, or [::1]:502 for IPv6)")
        }
        var host = rest[..<colon]
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { throw ValidationError("'\(text)': an IPv6 host ends with ]") }
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            throw ValidationError("'\(text)': write an IPv6 host in brackets, e.g. [\(host)]:\(rest[rest.index(after: colon)...])")
        }
        guard let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("'\(text)': the port must be a number 0...65535")
        }
        self.host = String(host)
        self.port = port
    }

    /// The host to listen on: `:PORT` (no host) is every IPv4 interface, as `0.0.0.0:PORT` is.
    public var listenHost: String { host.isEmpty ? "0.0.0.0" : host }

    /// `host:port`, the host in brackets when it is an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public static var defaultCompletionKind: CompletionKind { .default }
}

/// `--http`: an address to serve on, or `off`.
public enum HTTPSetting: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    case off
    case on(HostPort)

    public init?(argument: String) { try? self.init(parsing: argument) }

    public init(parsing text: String) throws {
        self = text == "off" ? .off : .on(try HostPort(parsing: text))
    }

    public var description: String {
        switch self {
        case .off: "off"
        case .on(let address): address.description
        }
    }
}

extension RegisterTable: ExpressibleByArgument {}
extension ColumnScheme: ExpressibleByArgument {}
extension ColumnBenchmarkCase: ExpressibleByArgument {}
extension SweepDefinition.Model: ExpressibleByArgument {}
extension RegisterDataType: ExpressibleByArgument {}

extension WordOrder: ExpressibleByArgument {
    /// `ABCD` or `abcd`.
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

extension LogfmtHandler.Format: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
