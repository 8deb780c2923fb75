import Foundation
import Historian
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization
import Timekeeping

/// Connections to one PostgreSQL database: made on demand, kept idle for reuse (at most `keep`), and closed after
/// any error (a connection that timed out or failed mid-transaction is in an unknown state).
///
/// Every wait is bounded by `timeout`: a server that stops answering (stopped, overloaded, cut off) fails the call
/// after that long instead of blocking the caller. Synchronous callers wait on the future (never on an event loop
/// thread); async ones await it. Nothing here logs: postgres-nio gets a logger that drops everything, so neither
/// queries nor connection settings reach a log.
final class PostgresSessions: Sendable {
    let location: PostgresLocation
    let timeout: Duration
    private let configuration: PostgresConnection.Configuration
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let idle = Mutex<[PostgresConnection]>([])
    private let keep: Int
    private let nextID = Atomic<Int>(1)
    static let quiet = Logger(label: "geolith.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(location: PostgresLocation, password: String?, timeout: Duration, keep: Int = 4) throws {
        self.location = location
        self.timeout = timeout
        self.keep = keep
        var tls = PostgresConnection.Configuration.TLS.disable
        if location.tls != .disable {
            // As libpq's `prefer` and `require`: encryption without checking the server's certificate.
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: tlsConfiguration)
            tls = location.tls == .require ? .require(context) : .prefer(context)
        }
        var configuration: PostgresConnection.Configuration
        if location.host.hasPrefix("/") {
            configuration = .init(unixSocketPath: "\(location.host)/.s.PGSQL.\(location.port)", username: location.user,
                                  password: password, database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.user, password: password,
                                  database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .nanoseconds(timeout.wholeNanoseconds)
        self.configuration = configuration
    }

    /// A new connection (not from the idle ones).
    func connect() -> EventLoopFuture<PostgresConnection> {
        PostgresConnection.connect(on: group.any(), configuration: configuration,
                                   id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: Self.quiet)
    }

    /// An idle connection, or a new one.
    private func lease() -> EventLoopFuture<PostgresConnection> {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection.eventLoop.makeSucceededFuture(connection) }
        }
        return connect()
    }

    private func giveBack(_ connection: PostgresConnection) {
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < keep, !connection.isClosed else { return false }
            idle.append(connection)
            return true
        }
        if !kept { connection.shut() }
    }

    /// A connection made or leased, waited for at most `timeout`; one that arrives later is closed.
    func open() throws -> PostgresConnection {
        let future = lease()
        do { return try wait(future) } catch {
            future.whenSuccess { $0.shut() }
            throw error
        }
    }

    func open() async throws -> PostgresConnection {
        let future = lease()
        do { return try await get(future) } catch {
            future.whenSuccess { $0.shut() }
            throw error
        }
    }

    /// Runs `body` on a connection, waiting at most `timeout` for each step.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try open()
        do {
            let result = try body(connection)
            giveBack(connection)
            return result
        } catch {
            connection.shut()
            throw error
        }
    }

    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await open()
        do {
            let result = try await body(connection)
            giveBack(connection)
            return result
        } catch {
            connection.shut()
            throw error
        }
    }

    /// Runs a query on `connection` and collects its rows, waiting at most `timeout`.
    @discardableResult
    func query(_ connection: PostgresConnection, _ query: PostgresQuery) throws -> PostgresQueryResult {
        try wait(connection.query(query, logger: Self.quiet))
    }

    @discardableResult
    func query(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> PostgresQueryResult {
        try await get(connection.query(query, logger: Self.quiet))
    }

    /// One query on a leased connection.
    @discardableResult
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try withConnection { try self.query($0, query) }
    }

    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresQueryResult {
        try await withConnection { try await self.query($0, query) }
    }

    /// Waits for `future` at most `timeout`. Never call it on an event loop thread. A PostgreSQL error comes out as
    /// ``PostgresHistorianError/server(_:sqlState:)``, with the server's message.
    func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        do { return try bounded(future).wait() } catch { throw PostgresHistorianError(error) }
    }

    func get<T: Sendable>(_ future: EventLoopFuture<T>) async throws -> T {
        do { return try await bounded(future).get() } catch { throw PostgresHistorianError(error) }
    }

    private func bounded<T: Sendable>(_ future: EventLoopFuture<T>) -> EventLoopFuture<T> {
        let promise = future.eventLoop.makePromise(of: T.self)
        let limit = timeout
        let timer = future.eventLoop.scheduleTask(in: .nanoseconds(limit.wholeNanoseconds)) {
            promise.fail(PostgresHistorianError.timedOut(limit))
        }
        future.whenComplete { result in
            timer.cancel()
            promise.completeWith(result)
        }
        return promise.futureResult
    }

    /// Closes the idle connections.
    func close() {
        for connection in idle.withLock({ idle -> [PostgresConnection] in defer { idle = [] }; return idle }) {
            _ = try? wait(connection.shut())
        }
    }
}

/// What went wrong with the server, in words an operator can act on.
public enum PostgresHistorianError: Error, Sendable, CustomStringConvertible {
    case timedOut(Duration)
    case readOnly
    /// What the server or the connection said, and the server's SQLSTATE when it is a server error.
    case server(String, sqlState: String? = nil)

    /// Any error of a call to the server, as one of these (postgres-nio's own hide their message in `description`).
    init(_ error: any Error) {
        if let error = error as? PostgresHistorianError {
            self = error
        } else {
            self = .server(Self.describe(error), sqlState: (error as? PSQLError)?.serverInfo?[.sqlState])
        }
    }

    public var description: String {
        switch self {
        case .timedOut(let limit): "PostgreSQL did not answer within \(limit) (down, overloaded or unreachable)"
        case .readOnly: "this historian was opened for reading only"
        case .server(let message, _): message
        }
    }

    /// A PostgreSQL or connection error as one line: the server's message and SQLSTATE, or what failed.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresHistorianError { return error.description }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let message = info[.message] ?? "server error"
                return "\(message)" + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(_ error: any Error) -> String? {
        if case .server(_, let state)? = error as? PostgresHistorianError { return state }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension PostgresConnection {
    /// Closes the connection without waiting (postgres-nio has two `close()`s; this is the future's). The connection
    /// is kept until it is closed: postgres-nio checks that one is closed before it goes.
    @discardableResult
    func shut() -> EventLoopFuture<Void> {
        let closing: EventLoopFuture<Void> = close()
        closing.whenComplete { _ in withExtendedLifetime(self) {} }
        return closing
    }
}
