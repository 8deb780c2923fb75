import Foundation

/// Where a historian lives, from `--db`: a SQLite file (`plant.sqlite`, the default) or a PostgreSQL server
/// (`postgres://user@host:port/database`).
public enum HistorianLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// A `postgres://` or `postgresql://` URL is a server; anything else a file path.
    /// - Throws: ``HistorianLocationError`` for a URL that cannot be used (a password in it, a bad port).
    public init(parsing text: String) throws(HistorianLocationError) {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            guard !text.isEmpty else { throw HistorianLocationError(text: text, message: "no file or URL given") }
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL server and database from a URL `postgres://user@host:port/database[?sslmode=disable|prefer|require]`.
///
/// The password never comes from the URL (a URL is logged, shown by `ps` and kept in shell histories): it is read
/// from a file (`--password-file`) or from `PGPASSWORD`, as PostgreSQL's own tools do; see ``password(file:environment:)``.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable { case disable, prefer, require }

    /// A host name or address, or the folder of a Unix socket (a host starting with `/`, percent-encoded in the URL).
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, user: String, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.tls = tls
    }

    public init(url text: String) throws(HistorianLocationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw HistorianLocationError(text: text, message: "not a URL of the form postgres://user@host:port/database")
        }
        if components.password != nil {
            throw HistorianLocationError(text: Self.redacted(text), message:
                "the URL holds a password: remove it and give it with --password-file FILE or the PGPASSWORD environment variable")
        }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        guard !host.isEmpty else { throw HistorianLocationError(text: text, message: "no host (postgres://user@host:port/database)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw HistorianLocationError(text: text, message: "port \(port) is not 1…65535") }
        let user = components.user ?? ProcessInfo.processInfo.environment["PGUSER"] ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        guard !user.isEmpty else { throw HistorianLocationError(text: text, message: "no user (postgres://user@host:port/database)") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw HistorianLocationError(text: text, message: "sslmode must be disable, prefer or require")
                }
            default:
                throw HistorianLocationError(text: text, message: "unknown parameter \"\(item.name)\" (only sslmode is understood)")
            }
        }
        self.init(host: host, port: port, user: user, database: path.isEmpty ? user : path, tls: tls)
    }

    /// The database, whatever the TLS mode or user: `host:port/database`.
    public var databaseIdentity: String { "\(host):\(port)/\(database)" }

    /// The URL without any secret: what logs and status show.
    public var description: String {
        let shownHost = host.hasPrefix("/") ? host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host
            : host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// The password: the first line of `file` when given, else `PGPASSWORD`, else none (trust or peer
    /// authentication).
    /// - Throws: ``HistorianLocationError`` when the file cannot be read or is empty.
    public static func password(file: String?) throws(HistorianLocationError) -> String? {
        try password(file: file, environment: ProcessInfo.processInfo.environment)
    }

    public static func password(file: String?, environment: [String: String]) throws(HistorianLocationError) -> String? {
        if let file {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw HistorianLocationError(text: file, message: "cannot read the password file: \(error.localizedDescription)")
            }
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard !password.isEmpty else { throw HistorianLocationError(text: file, message: "the password file's first line is empty") }
            return password
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        return nil
    }

    /// `text` with whatever stands between `:` and `@` after the scheme replaced, for error messages.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// A `--db` value that cannot be used.
public struct HistorianLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var message: String
    public var description: String { "\(text): \(message)" }
}
