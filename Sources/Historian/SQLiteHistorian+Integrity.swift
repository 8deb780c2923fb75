import Foundation
import GRDB

/// A historian file that cannot be used, naming the file, what was being done and why, and what to do.
public struct HistorianError: Error, Sendable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// What was being done: "open", "check", "flush", "recover"…
    public var operation: String
    /// The cause in words (SQLite's message and result code, or what the check found).
    public var cause: String
    /// What the user can do about it.
    public var remedy: String?
    /// The kind of failure, for a command's exit status.
    public var kind: Kind

    /// Kinds of historian failures.
    public enum Kind: Sendable, Hashable {
        /// The path is not a regular file (a directory, a device, a pipe).
        case notAFile
        /// The file cannot be created (its folder is missing, the output exists).
        case cannotCreate
        /// The user may not read or write it.
        case permission
        /// Reading or writing failed: a damaged file, SQLite's own errors.
        case failed
    }

    public init(path: String, operation: String, cause: String, remedy: String? = nil, kind: Kind = .failed) {
        self.path = path
        self.operation = operation
        self.cause = cause
        self.remedy = remedy
        self.kind = kind
    }

    public var description: String {
        "historian \(path): cannot \(operation): \(cause)" + (remedy.map { ". \($0)" } ?? "")
    }

    /// The error of a failed SQLite call on `path`, with SQLite's own message and result code.
    public static func sqlite(_ error: any Error, path: String, operation: String) -> HistorianError {
        if let error = error as? HistorianError { return error }
        guard let error = error as? DatabaseError else {
            return HistorianError(path: path, operation: operation, cause: "\(error)")
        }
        let message = error.message ?? "\(error.resultCode)"
        let remedy: String? = switch error.extendedResultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: "Run `geolith historian check \(path)`, then `geolith historian recover \(path)`"
        case .SQLITE_FULL: "Free disk space, or shorten the retention (--retention-days)"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            "Check that the file and its folder exist and are writable by this user"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "Another process holds the file: stop it, or give another --db"
        default: nil
        }
        let kind: HistorianError.Kind = switch error.resultCode {
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: .permission
        case .SQLITE_CANTOPEN: .cannotCreate
        default: .failed
        }
        return HistorianError(path: path, operation: operation,
                              cause: "\(message) (SQLite \(error.extendedResultCode.rawValue))", remedy: remedy, kind: kind)
    }
}

extension SQLiteHistorian {
    /// Checks that `path` can hold a historian before SQLite touches it: an existing regular file, or a new name
    /// in an existing folder. SQLite itself opened `/dev/null` (and then created `/dev/null-journal`) and
    /// directories failed later with a message naming neither.
    public static func checkPath(_ path: String) throws(HistorianError) {
        var info = stat()
        if stat(path, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFREG else {
                let what = switch kind {
                case S_IFDIR: "a directory"
                case S_IFCHR: "a character device"
                case S_IFBLK: "a block device"
                case S_IFIFO: "a named pipe"
                case S_IFSOCK: "a socket"
                default: "not a regular file"
                }
                throw HistorianError(path: path, operation: "open", cause: "it is \(what)",
                                     remedy: "Give a regular file, e.g. --db /var/lib/geolith/plant.sqlite (created if missing)",
                                     kind: .notAFile)
            }
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        var folderInfo = stat()
        guard stat(folder.isEmpty ? "." : folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else {
            throw HistorianError(path: path, operation: "create", cause: "the folder \(folder.isEmpty ? "." : folder) does not exist",
                                 remedy: "Create the folder first", kind: .cannotCreate)
        }
    }

    /// Checks an existing historian file before it is opened for writing: its WAL (would SQLite drop committed
    /// transactions?) and, once open, `PRAGMA quick_check`.
    /// - Throws: ``HistorianError`` naming the file, what is wrong, and `geolith historian recover`.
    static func checkBeforeOpen(_ path: String) throws(HistorianError) {
        let wal: HistorianWAL?
        do { wal = try HistorianWAL.inspect(database: path) } catch {
            throw HistorianError(path: path, operation: "open", cause: "its WAL \(path)-wal is unreadable: \(error.localizedDescription)")
        }
        if let wal, wal.isDamaged {
            let what = wal.headerDamaged
                ? "the header of \(path)-wal is damaged: SQLite would ignore all \(wal.frames) frames in it"
                : "\(path)-wal is damaged after frame \(wal.validFrames): \(wal.commitsAfterDamage) committed transactions "
                    + "(\(wal.framesAfterDamage) frames) follow and SQLite would drop them"
            throw HistorianError(path: path, operation: "open", cause: what + "; nothing was changed",
                                 remedy: "Run `geolith historian recover \(path)` to salvage what can be read into a new file")
        }
    }

    /// `PRAGMA quick_check` on a read-only connection: the B-trees, their pages and records (not index contents).
    static func quickCheck(_ path: String) throws(HistorianError) {
        let result: [String]
        do {
            var configuration = Configuration()
            configuration.readonly = true
            result = try DatabaseQueue(path: path, configuration: configuration).read { try String.fetchAll($0, sql: "PRAGMA quick_check(20)") }
        } catch {
            throw HistorianError.sqlite(error, path: path, operation: "check")
        }
        guard result == ["ok"] else {
            throw HistorianError(path: path, operation: "open",
                                 cause: "it is damaged (quick_check: \(result.prefix(3).joined(separator: "; ")))",
                                 remedy: "Run `geolith historian recover \(path)` to salvage what can be read into a new file")
        }
    }

    /// Writes everything the WAL holds into the database file and empties the WAL (`wal_checkpoint(TRUNCATE)`):
    /// after a clean stop the `.sqlite` file alone holds everything (a copy of it without its `-wal` once held
    /// nothing of the last minutes). Call after the last ``flush()``.
    public func checkpoint() throws {
        do {
            _ = try database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch {
            throw HistorianError.sqlite(error, path: database.path, operation: "checkpoint")
        }
    }
}
