import Glibc
import Model

/// When a periodic job runs: every `interval`, at a fixed offset within it derived from the
/// job's name, so a thousand checks with the same interval spread out instead of firing together,
/// and the same check keeps its slot across restarts.
struct Schedule: Sendable, Equatable {
    let intervalMs: Int64
    let offsetMs: Int64

    init(name: String, interval: Duration) {
        intervalMs = max(1, PromDuration.milliseconds(interval))
        offsetMs = Int64(Self.fnv1a(name) % UInt64(intervalMs))
    }

    /// The first slot strictly after `now` (milliseconds since the epoch).
    func next(after now: Timestamp) -> Timestamp {
        let base = now - offsetMs
        let slots = base >= 0 ? base / intervalMs : (base - intervalMs + 1) / intervalMs
        return (slots + 1) * intervalMs + offsetMs
    }

    /// The slot to run after the round of slot `round` ended at `end`, and the time to stamp it
    /// with. On time: the following slot. A round that overran into the following slot (a
    /// `timeout` as long as the interval, against an endpoint that never answers) runs that slot
    /// at once, stamped when it starts, as a Go ticker's one buffered tick does; without this, it
    /// would run every other interval. Slots missed beyond that one are skipped, never run back to back.
    func after(round: Timestamp, endedAt end: Timestamp) -> (slot: Timestamp, stamp: Timestamp) {
        let following = next(after: round)
        if end <= following { return (following, following) }
        if end - following < intervalMs { return (following, end) }
        let slot = next(after: end)
        return (slot, slot)
    }

    /// FNV-1a: stable across processes, unlike `Hasher`, which is seeded per run.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// Wall-clock time in milliseconds since the epoch, what samples are stamped with.
func wallClockMilliseconds() -> Timestamp {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Timestamp(now.tv_sec) * 1000 + Timestamp(now.tv_nsec) / 1_000_000
}
