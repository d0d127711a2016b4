import Model
import SQLite

/// Chunks decoded once for queries, by chunk key (an absent chunk is cached as no samples), so
/// rules reading the same hours every evaluation do not decompress them again.
///
/// Chunks change only in housekeeping, which counts every change in `tsdb_settings`
/// (`chunk_writes`) within the changing transaction. The cache holds chunks as of one count: a
/// snapshot with a higher count empties it, a snapshot with a lower one (a slower concurrent
/// reader) bypasses it. Bounded by `sampleLimit`; beyond it the cache starts over.
struct ChunkCache {
    /// At most this many samples (16 bytes each) are kept.
    static let sampleLimit = 1_000_000

    private var generation: Int64 = -1
    private var chunks: [Int64: [Sample]] = [:]
    private var samples = 0

    /// The `chunk_writes` count of the snapshot `connection` reads.
    static func generation(_ connection: Connection) throws -> Int64 {
        try connection.scalar("SELECT value FROM tsdb_settings WHERE name = 'chunk_writes'")?.int64 ?? 0
    }

    /// Counts a change to the chunks, in the changing transaction.
    static func noteWrite(_ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO tsdb_settings(name, value) VALUES('chunk_writes', 1)
            ON CONFLICT(name) DO UPDATE SET value = value + 1
            """)
    }

    /// The decoded samples of chunk `key` as of `generation`, if cached.
    mutating func lookup(_ key: Int64, generation: Int64) -> [Sample]? {
        if generation > self.generation {
            self = ChunkCache()
            self.generation = generation
        }
        return generation == self.generation ? chunks[key] : nil
    }

    /// Keeps the decoded samples of chunk `key` as of `generation`.
    mutating func store(_ key: Int64, _ decoded: [Sample], generation: Int64) {
        guard generation == self.generation else { return }
        if samples + decoded.count > Self.sampleLimit {
            chunks = [:]
            samples = 0
        }
        chunks[key] = decoded
        samples += decoded.count
    }

    /// Appends the samples of a decoded (time-sorted) chunk that lie in `range`.
    static func append(_ decoded: [Sample], in range: ClosedRange<Timestamp>, to out: inout [Sample]) {
        var low = 0, high = decoded.count
        while low < high {
            let mid = (low + high) / 2
            if decoded[mid].timestamp < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < decoded.count, decoded[end].timestamp <= range.upperBound { end += 1 }
        if low < end { out.append(contentsOf: decoded[low..<end]) }
    }
}
