import Model

/// Remembers the series of a target's last successful scrape and produces Prometheus' staleness
/// markers for the ones that are gone: after each scrape for series no longer exposed, and for all of
/// them when a scrape fails or the target is removed. A value type: the scrape loop owns one per target.
///
/// As in Prometheus, series scraped with an explicit timestamp are not tracked (a marker written at
/// scrape time would sit among the exporter's own timestamps).
public struct StalenessTracker: Sendable, Hashable {
    private var previous: Set<Labels> = []

    /// An empty tracker (no previous scrape).
    public init() {}

    /// The series of the last successful scrape.
    public var tracked: Set<Labels> { previous }

    /// Records the series of a successful scrape; returns stale markers at `time` for those of the
    /// previous scrape that are missing now, sorted by labels.
    public mutating func scraped(_ current: Set<Labels>, at time: Timestamp) -> [LabeledSample] {
        let gone = previous.subtracting(current)
        previous = current
        return StalenessTracker.markers(gone, at: time)
    }

    /// A failed scrape or a removed target: stale markers at `time` for every tracked series, which are
    /// then forgotten (so the next successful scrape marks nothing twice).
    public mutating func reset(at time: Timestamp) -> [LabeledSample] {
        let gone = previous
        previous = []
        return StalenessTracker.markers(gone, at: time)
    }

    static func markers(_ series: Set<Labels>, at time: Timestamp) -> [LabeledSample] {
        series.sorted().map { LabeledSample($0, Sample(time, StaleMarker.value)) }
    }
}
