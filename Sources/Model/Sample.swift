/// A timestamp in milliseconds since the Unix epoch, as Prometheus keeps them.
public typealias Timestamp = Int64

/// One float sample.
public struct Sample: Hashable, Sendable {
    public var timestamp: Timestamp
    public var value: Double

    public init(_ timestamp: Timestamp, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Samples compare bit-exactly, so NaN equals the same NaN and stale markers stay distinct.
    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }

    /// Whether this sample is Prometheus' staleness marker.
    public var isStale: Bool { value.bitPattern == StaleMarker.bitPattern }
}

/// Prometheus' staleness marker: a signalling NaN with a fixed bit pattern, written when a
/// series disappears so instant queries stop returning it before the 5-minute lookback ends.
public enum StaleMarker {
    /// The bit pattern Prometheus uses (`value.StaleNaN`).
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    /// The marker as a Double.
    public static var value: Double { Double(bitPattern: bitPattern) }
}

/// A sample together with the series it belongs to: the unit of appending.
public struct LabeledSample: Sendable, Hashable {
    public var labels: Labels
    public var sample: Sample

    public init(_ labels: Labels, _ sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}

/// A series with its samples in time order: the unit of querying.
public struct Series: Sendable, Hashable {
    public var labels: Labels
    public var samples: [Sample]

    public init(_ labels: Labels, _ samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

/// One batch as a scrape produces it: `values[i]` belongs to series `series[i]`, followed by
/// `extra` samples that carry their own labels (report series, stale markers).
///
/// A source whose series stay the same from batch to batch passes the very same `series` array
/// (one storage buffer, shared copy-on-write), so a store can recognise the list by identity and
/// reuse the series ids it found last time, instead of looking up every sample's labels.
public struct SeriesBatch: Sendable {
    /// The series of `values`, index for index.
    public var series: [Labels]
    /// The samples of `series`.
    public var values: [Sample]
    /// Samples appended after `values`, each with its labels.
    public var extra: [LabeledSample]

    /// A batch of `values` for `series` (same count) followed by `extra`.
    public init(series: [Labels], values: [Sample], extra: [LabeledSample] = []) {
        precondition(series.count == values.count, "one series per value")
        self.series = series
        self.values = values
        self.extra = extra
    }

    /// A batch of samples that each carry their labels (no series list).
    public init(_ samples: [LabeledSample]) {
        self.init(series: [], values: [], extra: samples)
    }

    /// Samples in the batch.
    public var count: Int { values.count + extra.count }

    /// The batch as one list, in order: `values` with their series, then `extra`.
    public var labeledSamples: [LabeledSample] {
        var all: [LabeledSample] = []
        all.reserveCapacity(count)
        for (labels, value) in zip(series, values) { all.append(LabeledSample(labels, value)) }
        all += extra
        return all
    }
}
