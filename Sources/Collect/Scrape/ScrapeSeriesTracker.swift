import Model

/// The series of one target's scrapes, tracked by 64-bit hashes so that a steady scrape hashes
/// and compares no `Labels` (`Hasher` over a dozen strings costs microseconds per series, more
/// than parsing and storing the sample together):
/// - the target-labelled `Labels` of each scraped series, made once and reused while the series
///   keeps appearing (found by the parser's series hash, see `ExpositionParser.lastSeriesHash`),
///   in one list per scrape that storage recognises by identity while it does not change;
/// - duplicates within one scrape (target labels can merge two scraped series into one);
/// - Prometheus' staleness markers for series of the previous successful scrape that are gone.
///
/// Memory is one list entry (a hash, a key and the labels) per series of the last successful
/// scrape; the lookup tables a changing scrape needs exist only while it is compared.
///
/// As in Prometheus, series scraped with an explicit timestamp are not tracked for staleness.
/// Two distinct label sets share a 64-bit key with probability about n²/2⁶⁵; the scrape would then
/// fail as a duplicate, the safe direction.
struct ScrapeSeriesTracker: Sendable {
    /// One sample of a scrape, in payload order (its labels are at the same index of the series list).
    private struct Step: Sendable {
        let hash: UInt64
        let key: UInt64
        let tracked: Bool
    }

    /// The last successful scrape: its samples in order, and their labels in the same order (the
    /// list handed to storage, the same array while scrapes repeat).
    private var previousSteps: [Step] = []
    private var previousSeries: [Labels] = []
    /// The scrape in progress. While it repeats the previous one sample for sample (the steady
    /// state) only `position` moves: nothing is hashed, looked up or copied. From the first
    /// difference on, its steps and series are collected and compared the long way.
    private var position = 0
    private var diverged = false
    private var steps: [Step] = []
    private var series: [Labels] = []
    /// While diverged: tracked keys of the scrape in progress, and where each parser hash of the
    /// previous scrape is, to reuse its labelled form.
    private var current: Set<UInt64> = []
    private var known: [UInt64: Int] = [:]

    /// Starts a scrape.
    mutating func begin() {
        position = 0
        diverged = false
        steps = []
        series = []
        current = []
        known = [:]
    }

    /// Records the scraped series `scraped`, whose parser hash is `hash` (see
    /// `ExpositionParser.lastSeriesHash`), in the scrape in progress, labelled for the target.
    /// Series without an explicit timestamp are tracked for staleness; false if one already
    /// occurred in this scrape.
    mutating func record(_ scraped: @autoclosure () -> Labels, hash: UInt64, timestamped: Bool, _ labeler: TargetLabeler) -> Bool {
        if !diverged, position < previousSteps.count, previousSteps[position].hash == hash,
           previousSteps[position].tracked == !timestamped {
            position += 1
            return true
        }
        if !diverged { diverge() }
        let labels: Labels, key: UInt64
        if let index = known[hash] {
            labels = previousSeries[index]
            key = previousSteps[index].key
        } else {
            labels = labeler.apply(scraped())
            key = UInt64(bitPattern: Int64(labels.hashValue))
        }
        steps.append(Step(hash: hash, key: key, tracked: !timestamped))
        series.append(labels)
        return timestamped || current.insert(key).inserted
    }

    /// The scrape departs from the previous one: what it repeated so far becomes its own record.
    private mutating func diverge() {
        diverged = true
        steps = Array(previousSteps[..<position])
        steps.reserveCapacity(previousSteps.count + 16)
        series = Array(previousSeries[..<position])
        series.reserveCapacity(previousSeries.count + 16)
        current.reserveCapacity(previousSteps.count + 16)
        for step in steps where step.tracked { current.insert(step.key) }
        known.reserveCapacity(previousSteps.count)
        for (index, step) in previousSteps.enumerated() where known[step.hash] == nil { known[step.hash] = index }
    }

    /// The scrape in progress succeeded: returns its series in sample order (the previous
    /// scrape's very array when nothing changed), stale markers at `time` for the series of the
    /// previous one that are missing now (sorted by labels), and how many of its series are new.
    mutating func commit(at time: Timestamp) -> (series: [Labels], markers: [LabeledSample], added: Int) {
        if !diverged, position == previousSteps.count { return (previousSeries, [], 0) }
        if !diverged { diverge() }   // the start of the previous scrape, but shorter
        var gone: [Labels] = []
        var tracked = 0
        for (step, labels) in zip(previousSteps, previousSeries) where step.tracked {
            tracked += 1
            if !current.contains(step.key) { gone.append(labels) }
        }
        let added = current.count - (tracked - gone.count)
        previousSteps = steps
        previousSeries = series
        begin()
        return (previousSeries, ScrapeSeriesTracker.markers(gone, at: time), added)
    }

    /// The scrape failed or the target is gone: stale markers at `time` for every tracked series,
    /// which are then forgotten (so the next successful scrape marks nothing twice).
    mutating func reset(at time: Timestamp) -> [LabeledSample] {
        var gone: [Labels] = []
        for (step, labels) in zip(previousSteps, previousSeries) where step.tracked { gone.append(labels) }
        previousSteps = []
        previousSeries = []
        begin()
        return ScrapeSeriesTracker.markers(gone, at: time)
    }

    static func markers(_ series: [Labels], at time: Timestamp) -> [LabeledSample] {
        series.sorted().map { LabeledSample($0, Sample(time, StaleMarker.value)) }
    }
}
