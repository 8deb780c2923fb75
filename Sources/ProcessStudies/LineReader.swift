import Foundation

/// Reads a file line by line in 256 KiB blocks, so shards of any size merge in constant memory.
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    let path: String
    /// Whether the last line read ended with a line feed (a file cut short mid-line does not).
    private(set) var lastLineTerminated = true

    init(path: String) throws(StudyError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StudyError(.io, "\(path): cannot open for reading")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// The next line without its line end, or `nil` at the end of the file.
    func next() throws(StudyError) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                lastLineTerminated = true
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lastLineTerminated = false
                return line
            }
            buffer.removeSubrange(0..<start)
            start = 0
            do {
                let data = try handle.read(upToCount: 256 << 10) ?? Data()
                if data.isEmpty { atEnd = true } else { buffer.append(contentsOf: data) }
            } catch {
                throw StudyError(.io, "\(path): \(error.localizedDescription)")
            }
        }
    }
}
