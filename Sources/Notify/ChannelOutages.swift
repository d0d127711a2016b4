import Model

/// Which channels are failing and why, so that a receiver outage is logged as a warning when it
/// starts (and when its reason changes) and as one info line when it ends, instead of a warning
/// for every retry of every queued notification (thousands an hour while a webhook is down).
struct ChannelOutages: Sendable {
    /// One channel's current run of failed attempts.
    struct Outage: Sendable, Hashable {
        var reason: String
        var since: Timestamp
        /// Failed attempts in this outage.
        var failures: Int
    }

    private var outages: [String: Outage] = [:]

    /// Records a failed attempt on `channel`; true when it starts an outage or changes its reason
    /// (log it as a warning), false for one more retry of an outage already reported.
    mutating func failed(_ channel: String, reason: String, at time: Timestamp) -> Bool {
        guard var outage = outages[channel] else {
            outages[channel] = Outage(reason: reason, since: time, failures: 1)
            return true
        }
        outage.failures += 1
        let changed = outage.reason != reason
        outage.reason = reason
        outages[channel] = outage
        return changed
    }

    /// Records a delivery on `channel`; returns the outage it ended, nil when the channel was fine.
    mutating func delivered(_ channel: String) -> Outage? {
        outages.removeValue(forKey: channel)
    }

    /// Forgets channels no longer configured (after a reload).
    mutating func retain(_ channels: some Sequence<String>) {
        let kept = Set(channels)
        outages = outages.filter { kept.contains($0.key) }
    }

    /// The outage under way on `channel`, if any.
    func outage(_ channel: String) -> Outage? { outages[channel] }
}
