import Synchronization

/// An in-memory implementation of both storage seams: used by `lookout test rules`, by tests,
/// and as the reference the SQLite store is checked against. Thread-safe.
///
/// Series are indexed by label name and value, so a selector intersects short id lists instead
/// of testing every series; samples are kept sorted, so a time range is found by binary search.
public final class MemorySeriesStore: SeriesAppender, SeriesQuerier {
    private struct State {
        var ids: [Labels: Int32] = [:]
        var index = SeriesPostings()
        /// Samples by series id, sorted by timestamp.
        var samples: [[Sample]] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func append(_ batch: [LabeledSample]) throws {
        state.withLock { all in
            for item in batch {
                let id: Int
                if let known = all.ids[item.labels] {
                    id = Int(known)
                } else {
                    let added = all.index.add(item.labels)
                    all.ids[item.labels] = added
                    all.samples.append([])
                    id = Int(added)
                }
                if let last = all.samples[id].last, last.timestamp >= item.sample.timestamp {
                    let index = Self.firstIndex(in: all.samples[id], atOrAfter: item.sample.timestamp)
                    if all.samples[id][index].timestamp == item.sample.timestamp {
                        all.samples[id][index] = item.sample
                    } else {
                        all.samples[id].insert(item.sample, at: index)
                    }
                } else {
                    all.samples[id].append(item.sample)
                }
            }
        }
    }

    public func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        state.withLock { all in
            let ids = all.index.match(matchers)
            var out: [Series] = []
            out.reserveCapacity(ids.count)
            for id in ids {
                let samples = all.samples[Int(id)]
                let lower = Self.firstIndex(in: samples, atOrAfter: range.lowerBound)
                let upper = range.upperBound == .max ? samples.count : Self.firstIndex(in: samples, atOrAfter: range.upperBound + 1)
                guard lower < upper else { continue }
                // The whole array is shared, not copied.
                let selected = lower == 0 && upper == samples.count ? samples : Array(samples[lower..<upper])
                out.append(Series(all.index.labels[Int(id)], selected))
            }
            return out
        }
    }

    /// As `select` over `points.range`, reading only the samples the points take.
    public func selectLatest(_ matchers: [Matcher], at points: LookbackPoints) throws -> [Series] {
        state.withLock { all in
            let ids = all.index.match(matchers)
            var out: [Series] = []
            for id in ids {
                let samples = all.samples[Int(id)]
                let lower = Self.firstIndex(in: samples, atOrAfter: points.range.lowerBound)
                let upper = points.last == .max ? samples.count : Self.firstIndex(in: samples, atOrAfter: points.last + 1)
                guard lower < upper else { continue }
                let picked = points.picked(from: samples[lower..<upper])
                if !picked.isEmpty { out.append(Series(all.index.labels[Int(id)], picked)) }
            }
            return out
        }
    }

    public func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        let names = try select(matchers, in: range).flatMap { $0.labels.map(\.name) }
        return Array(Set(names)).sorted()
    }

    public func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        let values = try select(matchers, in: range).compactMap { $0.labels[name] }
        return Array(Set(values)).sorted()
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
