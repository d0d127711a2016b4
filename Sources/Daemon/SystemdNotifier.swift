#if canImport(Glibc)
import Glibc
#endif

/// Speaks the sd_notify protocol directly over `$NOTIFY_SOCKET` (a unix datagram socket), so the
/// daemon needs no libsystemd. Without `NOTIFY_SOCKET` every call is a no-op.
public struct SystemdNotifier: Sendable {
    private let socketPath: [UInt8]?
    /// Half of `$WATCHDOG_USEC` when the watchdog is enabled for this process, in nanoseconds.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String]) {
        if let path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.first == "/" || path.first == "@" {
            var bytes = Array(path.utf8)
            if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }   // abstract namespace
            socketPath = bytes
        } else {
            socketPath = nil
        }
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if pidMatches, let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0 {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether a notify socket is configured.
    public var isEnabled: Bool { socketPath != nil }

    /// Sends one state message such as `READY=1\nSTATUS=…`. Returns false when nothing was sent.
    @discardableResult
    public func send(_ state: String) -> Bool {
        guard let path = socketPath, path.count < 108 else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.enumerated() { raw[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
            }
        }
        return sent == message.count
    }

    /// `READY=1` with a status line.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    /// `RELOADING=1` with the monotonic timestamp systemd ≥ 253 asks for.
    public func reloading() { send("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())") }
    /// `STOPPING=1`.
    public func stopping() { send("STOPPING=1") }
    /// `WATCHDOG=1`.
    public func watchdog() { send("WATCHDOG=1") }

    private static func monotonicMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
