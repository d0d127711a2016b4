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
struct HeadCache {
    /// Highest head row id decoded.
    private var decodedThrough: Int64 = 0
    /// The `head_deletions` count the cache was built at; nil before the first sync.
    private var deletions: Int64?
    /// Samples by series id, in write order.
    private var samples: [[Sample]] = []
    /// Whether each series' samples strictly increase in time, so a range is found by binary search.
    private var increasing: [Bool] = []

    /// Brings the cache to the head of the snapshot `connection` reads (the caller's transaction).
    mutating func sync(_ connection: Connection) throws {
        let count = try connection.scalar("SELECT value FROM tsdb_settings WHERE name = 'head_deletions'")?.int64 ?? 0
        if count != deletions {
            self = HeadCache()
            deletions = count
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
        let slot = Int(id)
        if slot >= samples.count {
            samples.append(contentsOf: repeatElement([], count: slot + 1 - samples.count))
            increasing.append(contentsOf: repeatElement(true, count: slot + 1 - increasing.count))
        }
        if let last = samples[slot].last, last.timestamp >= sample.timestamp { increasing[slot] = false }
        samples[slot].append(sample)
    }

    /// The cached samples of series `id` in `range`, in write order.
    func samples(of id: UInt32, in range: ClosedRange<Timestamp>) -> [Sample] {
        let slot = Int(id)
        guard slot < samples.count else { return [] }
        let all = samples[slot]
        guard increasing[slot] else { return all.filter { range.contains($0.timestamp) } }
        let lower = Self.firstIndex(all, atOrAfter: range.lowerBound)
        let upper = range.upperBound == .max ? all.count : Self.firstIndex(all, atOrAfter: range.upperBound + 1)
        if lower >= upper { return [] }
        return lower == 0 && upper == all.count ? all : Array(all[lower..<upper])
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
