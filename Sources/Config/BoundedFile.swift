#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads a file the config names, refusing what would hang or exhaust the loader: a FIFO
/// nobody writes to, `/dev/zero`, a file of gigabytes. At most `limit` bytes are read.
enum BoundedFile {
    enum Failure: Error, Equatable {
        case unreadable(String)
        case notRegular
        case tooLarge(limit: Int)

        /// Whether the file could not be opened or read at all (rather than being refused).
        var isUnreadable: Bool {
            if case .unreadable = self { return true }
            return false
        }

        /// The reason, for a diagnostic after the file's name.
        var reason: String {
            switch self {
            case .unreadable(let why): return why
            case .notRegular: return "is not a regular file"
            case .tooLarge(let limit): return "is larger than \(limit >> 10) KiB"
            }
        }
    }

    /// Secrets (`*_file`): passwords, tokens and URLs, far below this.
    static let secretLimit = 64 << 10
    /// Config and rule files.
    static let documentLimit = 16 << 20

    /// The bytes of `path`. `regularOnly`: pipes and devices are refused, and opening never
    /// blocks (`O_NONBLOCK`). Otherwise (the main config, which may be a pipe, as in
    /// `--config <(envsubst < lookout.yml)`) it is opened and read as `cat` would, up to `limit`.
    static func read(_ path: String, limit: Int, regularOnly: Bool) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularOnly ? O_NONBLOCK : 0))
        guard fd >= 0 else { return .failure(.unreadable(String(cString: strerror(errno)).lowercased())) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)).lowercased())) }
        let isRegular = info.st_mode & S_IFMT == S_IFREG
        if info.st_mode & S_IFMT == S_IFDIR { return .failure(.unreadable("is a directory")) }
        if regularOnly && !isRegular { return .failure(.notRegular) }
        if isRegular && Int(info.st_size) > limit { return .failure(.tooLarge(limit: limit)) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(String(cString: strerror(errno)).lowercased()))
            }
            if count == 0 { return .success(data) }
            data.append(contentsOf: buffer[0..<count])
            if data.count > limit { return .failure(.tooLarge(limit: limit)) }
        }
    }
}
