import Model

/// The series of one target's scrapes, tracked by 64-bit hashes so that a steady scrape hashes
/// and compares no `Labels` (`Hasher` over a dozen strings costs microseconds per series, more
/// than parsing and storing the sample together):
/// - the target-labelled `Labels` of each scraped series, made once and reused while the series
///   keeps appearing (keyed by the parser's series hash, see `ExpositionParser.lastSeriesHash`);
/// - duplicates within one scrape (target labels can merge two scraped series into one);
/// - Prometheus' staleness markers for series of the previous successful scrape that are gone.
///
/// As in Prometheus, series scraped with an explicit timestamp are not tracked for staleness.
/// Two distinct label sets share a 64-bit key with probability about n²/2⁶⁵; the scrape would then
/// fail as a duplicate, the safe direction.
struct ScrapeSeriesTracker: Sendable {
    /// A scraped series with the target labels applied, and the key it is tracked by.
    struct Labelled: Sendable {
        let labels: Labels
        let key: UInt64
    }

    private var labelled: [UInt64: Labelled] = [:]
    /// The series of the last successful scrape, by key.
    private var previous: [UInt64: Labels] = [:]
    /// The series of the scrape in progress.
    private var current: [UInt64: Labels] = [:]

    /// The series of the last successful scrape.
    var tracked: Dictionary<UInt64, Labels>.Values { previous.values }

    /// Starts a scrape.
    mutating func begin() {
        current = [:]
        current.reserveCapacity(previous.count)
    }

    /// The target-labelled form of the scraped series `scraped`, whose parser hash is `hash`.
    mutating func labelled(_ scraped: Labels, hash: UInt64, _ labeler: TargetLabeler) -> Labelled {
        if let known = labelled[hash] { return known }
        let labels = labeler.apply(scraped)
        let known = Labelled(labels: labels, key: UInt64(bitPattern: Int64(labels.hashValue)))
        labelled[hash] = known
        return known
    }

    /// Records a series without explicit timestamp in the scrape in progress; false if it already occurred.
    mutating func track(_ series: Labelled) -> Bool {
        current.updateValue(series.labels, forKey: series.key) == nil
    }

    /// The scrape in progress succeeded: returns stale markers at `time` for the series of the previous
    /// one that are missing now (sorted by labels), and how many of the current series are new.
    mutating func commit(at time: Timestamp) -> (markers: [LabeledSample], added: Int) {
        var gone: [Labels] = []
        for (key, labels) in previous where current[key] == nil { gone.append(labels) }
        let added = current.count - (previous.count - gone.count)
        previous = current
        current = [:]
        // Forget the labelled forms of series that went away, once they are a good share.
        if labelled.count > 2 * previous.count + 1024 {
            labelled = labelled.filter { previous[$0.value.key] != nil }
        }
        return (ScrapeSeriesTracker.markers(gone, at: time), added)
    }

    /// The scrape failed or the target is gone: stale markers at `time` for every tracked series,
    /// which are then forgotten (so the next successful scrape marks nothing twice).
    mutating func reset(at time: Timestamp) -> [LabeledSample] {
        let gone = Array(previous.values)
        previous = [:]
        current = [:]
        return ScrapeSeriesTracker.markers(gone, at: time)
    }

    static func markers(_ series: [Labels], at time: Timestamp) -> [LabeledSample] {
        series.sorted().map { LabeledSample($0, Sample(time, StaleMarker.value)) }
    }
}
