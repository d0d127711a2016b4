import Synchronization

/// An in-memory implementation of both storage seams: used by `lookout test rules`, by tests,
/// and as the reference the SQLite store is checked against. Thread-safe.
public final class MemorySeriesStore: SeriesAppender, SeriesQuerier {
    private let series = Mutex<[Labels: [Sample]]>([:])

    public init() {}

    public func append(_ batch: [LabeledSample]) throws {
        series.withLock { all in
            for item in batch {
                var samples = all[item.labels, default: []]
                if let last = samples.last, last.timestamp >= item.sample.timestamp {
                    let index = samples.firstIndex { $0.timestamp >= item.sample.timestamp }!
                    if samples[index].timestamp == item.sample.timestamp { samples[index] = item.sample } else { samples.insert(item.sample, at: index) }
                } else {
                    samples.append(item.sample)
                }
                all[item.labels] = samples
            }
        }
    }

    public func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        let snapshot = series.withLock { $0 }
        var out: [Series] = []
        for (labels, samples) in snapshot where matchers.allSatisfy({ $0.matches(labels) }) {
            let inRange = samples.filter { range.contains($0.timestamp) }
            if !inRange.isEmpty { out.append(Series(labels, inRange)) }
        }
        return out.sorted { $0.labels < $1.labels }
    }

    public func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        let names = try select(matchers, in: range).flatMap { $0.labels.map(\.name) }
        return Array(Set(names)).sorted()
    }

    public func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        let values = try select(matchers, in: range).compactMap { $0.labels[name] }
        return Array(Set(values)).sorted()
    }
}
