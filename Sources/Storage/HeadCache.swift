import Model
import SQLite

/// The head's samples decoded once and kept by series id, so a query over recent data copies a
/// few samples per wanted series instead of decoding every head row in its time range (a head
/// row holds a whole batch, of every series in it).
///
/// Kept in step with one reader snapshot at a time (see `TSDB.withHead`): rows newer than the
/// last one decoded are added in id order, which keeps each series in write order as the head
/// itself is. Housekeeping counts every deletion of head rows in `tsdb_settings`
/// (`head_deletions`); when a snapshot shows another count than the cache was built from, the
/// cache starts over, so it never holds a row its snapshot lacks, and row ids reused after the
/// head emptied are decoded afresh.
///
/// Memory: a series' samples are kept compressed (`ChunkCodec`) in segments of `segmentSize`,
/// with only the newest 32–63 decoded, because the head holds every series for a whole block
/// (30 minutes) and rules query it all the time: 8.6 bytes a cached sample instead of 24
/// (`StorageBench --head-cache-only`).
struct HeadCache {
    /// Samples per compressed segment.
    static let segmentSize = 32

    /// Highest head row id decoded.
    private var decodedThrough: Int64 = 0
    /// The `head_deletions` count the cache was built at; nil before the first sync.
    private var deletions: Int64?
    /// Samples by series id, in write order; paged, so only ids with head samples take room.
    private var series = PagedTable<SeriesSamples>()

    /// Pages of series allocated (for tests and figures; see `PagedTable`).
    var allocatedPages: Int { series.allocatedPages }

    /// Brings the cache to the head of the snapshot `connection` reads (the caller's transaction).
    mutating func sync(_ connection: Connection) throws {
        let count = try connection.scalar("SELECT value FROM tsdb_settings WHERE name = 'head_deletions'")?.int64 ?? 0
        if count != deletions {
            let held = series.count > 0
            self = HeadCache()
            deletions = count
            // The block just compacted held the most memory this process uses; give it back
            // (glibc keeps freed memory otherwise, and RSS would stay at its peak).
            if held { ProcessMemory.returnFreedMemory() }
        }
        do {
            try connection.forEach("SELECT id, data FROM head WHERE id > ? ORDER BY id", [.integer(decodedThrough)]) { row in
                decodedThrough = row.int64(at: 0)
                try row.withBlob(at: 1) { bytes in try HeadCodec.decode(bytes) { id, sample in add(id, sample) } }
            }
        } catch {
            self = HeadCache()   // a row may be half added: start over next time
            throw error
        }
    }

    /// Counts a deletion of head rows, in the deleting transaction (see the type's comment).
    static func noteDeletion(_ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO tsdb_settings(name, value) VALUES('head_deletions', 1)
            ON CONFLICT(name) DO UPDATE SET value = value + 1
            """)
    }

    private mutating func add(_ id: UInt32, _ sample: Sample) {
        series.update(id, default: SeriesSamples()) { $0.append(sample) }
    }

    /// The cached samples of series `id` in `range`, in write order.
    func samples(of id: UInt32, in range: ClosedRange<Timestamp>) -> [Sample] {
        series[id]?.samples(in: range) ?? []
    }

    /// The cached samples of series `id` that `points` take, in time order (a later write wins
    /// an equal timestamp).
    func samples(of id: UInt32, picking points: LookbackPoints) -> [Sample] {
        series[id]?.samples(picking: points) ?? []
    }
}

/// One series' head samples: compressed segments, oldest first, then the newest ones decoded.
struct SeriesSamples {
    /// A sealed run of `HeadCache.segmentSize` samples with strictly increasing timestamps.
    struct Segment {
        let first: Timestamp
        let last: Timestamp
        let bytes: [UInt8]
    }

    private var segments: [Segment] = []
    private var open: [Sample] = []
    /// Whether the timestamps strictly increase, so ranges are found by bisection and runs can
    /// be compressed. A series written out of order (rare) keeps every sample decoded.
    private var increasing = true

    mutating func append(_ sample: Sample) {
        let last = open.last?.timestamp ?? segments.last?.last
        if increasing, let last, last >= sample.timestamp {
            open = samples(in: Timestamp.min...Timestamp.max)
            segments = []
            increasing = false
        }
        open.append(sample)
        // The newest `segmentSize` samples at least stay decoded: rules mostly read the last
        // minutes, and decoding them on every evaluation would cost more than they take.
        if increasing && open.count == 2 * HeadCache.segmentSize {
            let sealed = open[..<HeadCache.segmentSize]
            let encoded = ChunkCodec.encode(sealed)
            // Copied to an exact-size buffer: the encoder's grew by doubling.
            let bytes = [UInt8](unsafeUninitializedCapacity: encoded.count) { buffer, count in
                count = buffer.initialize(fromContentsOf: encoded)
            }
            segments.append(Segment(first: sealed.first!.timestamp, last: sealed.last!.timestamp, bytes: bytes))
            open.removeFirst(HeadCache.segmentSize)
        }
    }

    func samples(in range: ClosedRange<Timestamp>) -> [Sample] {
        guard increasing else { return open.filter { range.contains($0.timestamp) } }
        var out: [Sample] = []
        for segment in segments[firstSegment(endingAtOrAfter: range.lowerBound)...] {
            if segment.first > range.upperBound { return out }
            // Encoded here from valid samples, so decoding cannot fail.
            try? ChunkCodec.decode(segment.bytes, in: range, into: &out)
        }
        let lower = Self.firstIndex(open, atOrAfter: range.lowerBound)
        let upper = range.upperBound == .max ? open.count : Self.firstIndex(open, atOrAfter: range.upperBound + 1)
        if lower < upper { out.append(contentsOf: open[lower..<upper]) }
        return out
    }

    /// The samples `points` take (see `LookbackPoints.picked`). For one point of an in-order
    /// series this reads the decoded tail, or decodes the one segment holding the sample.
    func samples(picking points: LookbackPoints) -> [Sample] {
        guard increasing else {
            return points.picked(from: SampleCollector.merge([], open.filter { points.range.contains($0.timestamp) }))
        }
        guard points.isSingle else { return points.picked(from: samples(in: points.range)) }
        let point = points.last
        let inOpen = point == .max ? open.count : Self.firstIndex(open, atOrAfter: point + 1)
        let newest: Sample?
        if inOpen > 0 {
            newest = open[inOpen - 1]
        } else {
            // Before the decoded tail: in the first segment ending at or after the point if it
            // starts by then, else the last sample of the segment before.
            let index = firstSegment(endingAtOrAfter: point)
            if index < segments.count, segments[index].first <= point {
                var decoded: [Sample] = []
                try? ChunkCodec.decode(segments[index].bytes, in: segments[index].first...point, into: &decoded)
                newest = decoded.last
            } else if index > 0 {
                var decoded: [Sample] = []
                let segment = segments[index - 1]
                try? ChunkCodec.decode(segment.bytes, in: segment.last...segment.last, into: &decoded)
                newest = decoded.last
            } else {
                newest = nil
            }
        }
        guard let newest, newest.timestamp >= points.range.lowerBound else { return [] }
        return [newest]
    }

    private func firstSegment(endingAtOrAfter timestamp: Timestamp) -> Int {
        var low = 0, high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].last < timestamp { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func firstIndex(_ samples: [Sample], atOrAfter timestamp: Timestamp) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].timestamp < timestamp { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
