import Synchronization

/// An in-memory implementation of both storage seams: used by `lookout test rules`, by tests,
/// and as the reference the SQLite store is checked against. Thread-safe.
///
/// Series are indexed by metric name, so a selector with `__name__="x"` touches only the series
/// of `x`; samples are kept sorted, so a time range is found by binary search.
public final class MemorySeriesStore: SeriesAppender, SeriesQuerier {
    private struct State {
        var series: [Labels: [Sample]] = [:]
        /// Label sets per metric name, kept sorted so selections need no sort.
        var byName: [String: [Labels]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func append(_ batch: [LabeledSample]) throws {
        state.withLock { all in
            for item in batch {
                var samples = all.series.removeValue(forKey: item.labels) ?? []
                if samples.isEmpty { Self.insertSorted(item.labels, into: &all.byName[item.labels.metricName ?? "", default: []]) }
                if let last = samples.last, last.timestamp >= item.sample.timestamp {
                    let index = Self.firstIndex(in: samples, atOrAfter: item.sample.timestamp)
                    if samples[index].timestamp == item.sample.timestamp { samples[index] = item.sample } else { samples.insert(item.sample, at: index) }
                } else {
                    samples.append(item.sample)
                }
                all.series[item.labels] = samples
            }
        }
    }

    public func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        let name = matchers.first { $0.name == Labels.metricName && $0.kind == .equal }?.value
        var out: [Series] = []
        state.withLock { all in
            let candidates: [Labels] = name.map { all.byName[$0] ?? [] } ?? all.series.keys.sorted()
            for labels in candidates where matchers.allSatisfy({ $0.matches(labels) }) {
                guard let samples = all.series[labels] else { continue }
                let lower = Self.firstIndex(in: samples, atOrAfter: range.lowerBound)
                let upper = range.upperBound == .max ? samples.count : Self.firstIndex(in: samples, atOrAfter: range.upperBound + 1)
                if lower < upper { out.append(Series(labels, Array(samples[lower..<upper]))) }
            }
        }
        return out
    }

    public func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        let names = try select(matchers, in: range).flatMap { $0.labels.map(\.name) }
        return Array(Set(names)).sorted()
    }

    public func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        let values = try select(matchers, in: range).compactMap { $0.labels[name] }
        return Array(Set(values)).sorted()
    }

    private static func insertSorted(_ labels: Labels, into list: inout [Labels]) {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < labels { low = mid + 1 } else { high = mid }
        }
        list.insert(labels, at: low)
    }

    /// The index of the first sample at or after `timestamp` (binary search over sorted samples).
    private static func firstIndex(in samples: [Sample], atOrAfter timestamp: Timestamp) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].timestamp < timestamp { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
