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

    /// One sample of a scrape, in payload order (its labels are at the same index of the series list).
    private struct Step: Sendable {
        let hash: UInt64
        let key: UInt64
        let tracked: Bool
    }

    private var labelled: [UInt64: Labelled] = [:]
    /// The series of the last successful scrape, by key; its samples in order, and their labels
    /// in the same order: the list handed to storage, the same array while scrapes repeat.
    private var previous: [UInt64: Labels] = [:]
    private var previousSteps: [Step] = []
    private var previousSeries: [Labels] = []
    /// The scrape in progress. While it repeats the previous one sample for sample (the steady
    /// state) only `position` moves: no dictionary or array is touched. From the first difference
    /// on, its steps and series are collected and compared the long way.
    private var position = 0
    private var diverged = false
    private var steps: [Step] = []
    private var series: [Labels] = []
    private var current: [UInt64: Labels] = [:]

    /// Starts a scrape.
    mutating func begin() {
        position = 0
        diverged = false
        steps = []
        series = []
        current = [:]
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
        let labelled = labelled[hash] ?? label(scraped(), hash: hash, labeler)
        steps.append(Step(hash: hash, key: labelled.key, tracked: !timestamped))
        series.append(labelled.labels)
        if !timestamped, current.updateValue(labelled.labels, forKey: labelled.key) != nil { return false }
        return true
    }

    private mutating func label(_ scraped: Labels, hash: UInt64, _ labeler: TargetLabeler) -> Labelled {
        let labels = labeler.apply(scraped)
        let series = Labelled(labels: labels, key: UInt64(bitPattern: Int64(labels.hashValue)))
        labelled[hash] = series
        return series
    }

    /// The scrape departs from the previous one: what it repeated so far becomes its own record.
    private mutating func diverge() {
        diverged = true
        steps = Array(previousSteps[..<position])
        steps.reserveCapacity(previousSteps.count + 16)
        series = Array(previousSeries[..<position])
        series.reserveCapacity(previousSeries.count + 16)
        current.reserveCapacity(previous.count)
        for (step, labels) in zip(steps, series) where step.tracked { current[step.key] = labels }
    }

    /// The scrape in progress succeeded: returns its series in sample order (the previous
    /// scrape's very array when nothing changed), stale markers at `time` for the series of the
    /// previous one that are missing now (sorted by labels), and how many of its series are new.
    mutating func commit(at time: Timestamp) -> (series: [Labels], markers: [LabeledSample], added: Int) {
        if !diverged, position == previousSteps.count { return (previousSeries, [], 0) }
        if !diverged { diverge() }   // the start of the previous scrape, but shorter
        var gone: [Labels] = []
        for (key, labels) in previous where current[key] == nil { gone.append(labels) }
        let added = current.count - (previous.count - gone.count)
        previous = current
        previousSteps = steps
        previousSeries = series
        begin()
        // Forget the labelled forms of series that went away, once they are a good share.
        if labelled.count > 2 * previousSteps.count + 1024 {
            labelled = labelled.filter { previous[$0.value.key] != nil }
        }
        return (previousSeries, ScrapeSeriesTracker.markers(gone, at: time), added)
    }

    /// The scrape failed or the target is gone: stale markers at `time` for every tracked series,
    /// which are then forgotten (so the next successful scrape marks nothing twice).
    mutating func reset(at time: Timestamp) -> [LabeledSample] {
        let gone = Array(previous.values)
        previous = [:]
        previousSteps = []
        previousSeries = []
        begin()
        return ScrapeSeriesTracker.markers(gone, at: time)
    }

    static func markers(_ series: [Labels], at time: Timestamp) -> [LabeledSample] {
        series.sorted().map { LabeledSample($0, Sample(time, StaleMarker.value)) }
    }
}
