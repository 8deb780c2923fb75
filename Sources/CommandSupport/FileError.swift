import Foundation

/// A file a command cannot use, said as a person would: which file, what it was meant to be, and what is wrong
/// (it does not exist, is a folder, is not a Geolith file, may not be read), never a Foundation or SQLite dump.
/// Shared by every command family.
public struct FileError: CommandFailure {
    public enum Problem: Equatable, Sendable {
        case missing
        case folder
        /// A device, socket or pipe where a regular file was expected.
        case notAFile
        case permission
        /// The file is there but is not what was asked for: not text, not a Geolith run, …
        case notWhatWasAsked(String)
        case cannotCreate(String)
        case io(String)
    }

    public var path: String
    /// What the file was meant to be: "plant description", "run", "alarms file", "output".
    public var what: String
    public var problem: Problem

    public init(path: String, what: String, problem: Problem) {
        (self.path, self.what, self.problem) = (path, what, problem)
    }

    public var status: ExitStatus {
        switch problem {
        case .missing, .folder, .notAFile: .missingInput
        case .permission: .permission
        case .notWhatWasAsked: .invalidInput
        case .cannotCreate: .cannotCreate
        case .io: .ioError
        }
    }

    public var description: String { "\(path) (\(what)): \(reason)" }

    /// What is wrong, without the file's name.
    public var reason: String {
        switch problem {
        case .missing: "no such file"
        case .folder: "is a folder, not a file"
        case .notAFile: "is not a regular file"
        case .permission: "permission denied"
        case .notWhatWasAsked(let detail): detail
        case .cannotCreate(let detail): "cannot be created: \(detail)"
        case .io(let detail): detail
        }
    }

    /// Throws unless `path` is a regular file this process may read.
    public static func checkReadable(_ path: String, as what: String) throws(FileError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            throw FileError(path: path, what: what, problem: code == EACCES ? .permission : .missing)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileError(path: path, what: what, problem: .folder)
        default: throw FileError(path: path, what: what, problem: .notAFile)
        }
        guard access(path, R_OK) == 0 else { throw FileError(path: path, what: what, problem: .permission) }
    }

    /// Throws unless a file can be created or replaced at `path`: its folder exists and may be written, and the
    /// path itself is not a folder.
    public static func checkWritable(_ path: String, as what: String) throws(FileError) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw FileError(path: path, what: what, problem: .cannotCreate("it is a folder"))
        }
        let folder = (path as NSString).deletingLastPathComponent
        let parent = folder.isEmpty ? "." : folder
        guard stat(parent, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw FileError(path: path, what: what, problem: .cannotCreate("no folder \(parent)"))
        }
        guard access(parent, W_OK) == 0 else {
            throw FileError(path: path, what: what, problem: .cannotCreate("permission denied in \(parent)"))
        }
    }

    /// The file error behind a Foundation or POSIX error about `path`, in words.
    public static func from(_ error: any Error, path: String, what: String) -> FileError {
        let ns = error as NSError
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? NSError) ?? ns
        let code = underlying.domain == NSPOSIXErrorDomain ? Int32(underlying.code) : 0
        switch (ns.domain, ns.code, code) {
        case (_, _, ENOENT), (NSCocoaErrorDomain, NSFileReadNoSuchFileError, _), (NSCocoaErrorDomain, NSFileNoSuchFileError, _):
            return FileError(path: path, what: what, problem: .missing)
        case (_, _, EISDIR):
            return FileError(path: path, what: what, problem: .folder)
        case (_, _, EACCES), (_, _, EPERM), (NSCocoaErrorDomain, NSFileReadNoPermissionError, _),
             (NSCocoaErrorDomain, NSFileWriteNoPermissionError, _):
            return FileError(path: path, what: what, problem: .permission)
        case (NSCocoaErrorDomain, NSFileReadInapplicableStringEncodingError, _):
            return FileError(path: path, what: what, problem: .notWhatWasAsked("not UTF-8 text"))
        case (_, _, ENOSPC):
            return FileError(path: path, what: what, problem: .io("the disk is full"))
        default:
            let reason = code != 0 ? String(cString: strerror(code)) : ns.localizedDescription
            return FileError(path: path, what: what, problem: .io(reason))
        }
    }
}
