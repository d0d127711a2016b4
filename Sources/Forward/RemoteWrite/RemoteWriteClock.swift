import Foundation
import Model

/// Wall-clock time in milliseconds since the epoch, the time base of sample timestamps.
enum RemoteWriteClock {
    static func now() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(now.tv_sec) * 1000 + Timestamp(now.tv_nsec) / 1_000_000
    }
}
