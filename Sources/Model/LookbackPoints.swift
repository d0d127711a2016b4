/// The points an instant vector selector is evaluated at, for storage: `first`, `first + interval`,
/// … up to `last`, each taking the newest sample at or before it that is no older than the point
/// minus `lookback` (both ends inclusive, as the engine's lookback). A stale marker that is the
/// newest sample is taken like any other: it is the engine that turns it into "no value".
///
/// Lets a store answer an instant selector with the one sample per step it needs instead of
/// every sample of the lookback window (see `SeriesQuerier.selectLatest`).
public struct LookbackPoints: Sendable, Hashable {
    /// The first point.
    public let first: Timestamp
    /// No point lies after this; equal to `first` for a single point.
    public let last: Timestamp
    /// The distance between points, at least 1.
    public let interval: Int64
    /// How far before a point its sample may lie, in ms.
    public let lookback: Int64

    /// Points `first`, `first + interval`, … through `last`; `interval` below 1 counts as 1.
    public init(first: Timestamp, last: Timestamp, interval: Int64, lookback: Int64) {
        self.first = first
        self.last = max(first, last)
        self.interval = max(1, interval)
        self.lookback = lookback
    }

    /// One point.
    public init(at point: Timestamp, lookback: Int64) {
        self.init(first: point, last: point, interval: 1, lookback: lookback)
    }

    /// The time range every sample a point may take lies in (what a plain `select` would read).
    public var range: ClosedRange<Timestamp> { (first - lookback)...last }

    /// Whether there is only one point.
    public var isSingle: Bool { first == last }

    /// The samples of `samples` (timestamps strictly increasing) that some point takes, in order.
    /// The engine finds the same sample for every point in the result as in `samples`.
    public func picked(from samples: [Sample]) -> [Sample] {
        picked(from: samples[...])
    }

    /// As `picked(from:)` for a slice. (Concrete types: a generic public function runs
    /// unspecialised in the modules calling it.)
    public func picked(from samples: ArraySlice<Sample>) -> [Sample] {
        if isSingle {
            // The newest sample at or before the point, if recent enough.
            var low = samples.startIndex, high = samples.endIndex
            while low < high {
                let mid = (low + high) / 2
                if samples[mid].timestamp <= first { low = mid + 1 } else { high = mid }
            }
            guard low > samples.startIndex else { return [] }
            let sample = samples[low - 1]
            return sample.timestamp >= first - lookback ? [sample] : []
        }
        var out: [Sample] = []
        var i = samples.startIndex
        while i < samples.endIndex {
            let sample = samples[i]
            // The points that take this sample: at or after it, before the next one, within the lookback.
            var upper = min(last, sample.timestamp.addingSaturating(lookback))
            if i + 1 < samples.endIndex { upper = min(upper, samples[i + 1].timestamp - 1) }
            if hasPoint(from: max(first, sample.timestamp), through: upper) { out.append(sample) }
            i += 1
        }
        return out
    }

    /// Each series reduced to the samples some point takes; series left with none are dropped.
    public func picked(from series: [Series]) -> [Series] {
        series.compactMap { series in
            let picked = picked(from: series.samples)
            return picked.isEmpty ? nil : Series(series.labels, picked)
        }
    }

    /// Whether a point lies in `low...high`; `low` is at least `first`.
    private func hasPoint(from low: Timestamp, through high: Timestamp) -> Bool {
        guard low <= high else { return false }
        // Offsets from `first` fit in UInt64 as both bounds lie at or after it.
        let step = UInt64(interval)
        let fromFirst = UInt64(bitPattern: low &- first)
        let steps = fromFirst / step + (fromFirst % step == 0 ? 0 : 1)
        let (offset, overflow) = steps.multipliedReportingOverflow(by: step)
        return !overflow && offset <= UInt64(bitPattern: high &- first)
    }
}

extension Timestamp {
    /// `self + other`, clamped to the representable range.
    func addingSaturating(_ other: Int64) -> Timestamp {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
