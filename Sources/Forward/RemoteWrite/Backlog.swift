import Model
import SQLite
import Synchronization

/// One encoded, snappy-compressed `WriteRequest`, ready to be posted as it is.
struct EncodedBatch: Sendable, Equatable {
    var shard: Int
    var samples: Int
    /// Oldest and newest sample timestamps in the batch, ms.
    var oldest: Timestamp
    var newest: Timestamp
    var payload: [UInt8]
}

/// A batch read back from the backlog, claimed by one sender until it finishes or releases it.
struct BacklogRow: Sendable, Equatable {
    var id: Int64
    var batch: EncodedBatch
}

/// The durable remote-write queue: every batch is written here before it is sent and deleted
/// once the receiver has answered, so an outage of the receiver — or a restart or kill -9 of
/// Lookout — loses nothing that is within the limits.
///
/// Stores encoded, compressed batches rather than sample rows: a batch is encoded once however
/// often it is retried, costs 1–3 bytes per sample on disk instead of about 26 plus its labels,
/// and one row insert per batch keeps the write cost per sample negligible. A separate database
/// file, so the backlog never waits for the TSDB's write lock, or the TSDB for it.
///
/// Queues are keyed by endpoint; within one endpoint each shard's rows are sent in id order.
/// Thread-safe: every call runs under the connection's lock and is short.
final class Backlog: Sendable {
    static let migrator = Migrator(component: "remote_write", migrations: [
        Migration(1, "remote-write batches", sql: """
            CREATE TABLE remote_write_batches (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                endpoint TEXT NOT NULL,
                shards INTEGER NOT NULL,
                shard INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                oldest INTEGER NOT NULL,
                newest INTEGER NOT NULL,
                bytes INTEGER NOT NULL,
                payload BLOB NOT NULL
            ) STRICT;
            CREATE INDEX remote_write_batches_shard ON remote_write_batches(endpoint, shards, shard, id);
            CREATE INDEX remote_write_batches_endpoint ON remote_write_batches(endpoint, id);
            """),
    ])

    /// The file name inside the data directory.
    static let fileName = "remote-write.db"

    /// Queued samples and bytes of one endpoint.
    struct Totals: Sendable, Equatable {
        var samples = 0
        var bytes = 0
    }

    /// What `trim` removed.
    struct Trimmed: Sendable, Equatable {
        var batches = 0
        var samples = 0
        var expired = 0
        var overflow = 0
    }

    private let db: SharedConnection
    private struct State {
        var totals: [String: Totals] = [:]
        var inFlight: Set<Int64> = []
    }
    private let state = Mutex(State())

    /// Opens (creating if needed) the backlog database at `path`.
    init(path: String) throws {
        let connection = try Connection(path: path)
        _ = try Self.migrator.migrate(connection)
        var totals: [String: Totals] = [:]
        try connection.forEach("SELECT endpoint, sum(samples), sum(bytes) FROM remote_write_batches GROUP BY endpoint") { row in
            totals[row.string(at: 0)] = Totals(samples: Int(row.int64(at: 1)), bytes: Int(row.int64(at: 2)))
        }
        db = SharedConnection(connection)
        state.withLock { $0.totals = totals }
    }

    /// Appends batches to `endpoint`'s queue in one transaction.
    func insert(_ endpoint: String, shards: Int, _ batches: [EncodedBatch]) throws {
        guard !batches.isEmpty else { return }
        try db.withConnection { db in
            try db.withTransaction {
                let insert = try db.cached("""
                    INSERT INTO remote_write_batches (endpoint, shards, shard, samples, oldest, newest, bytes, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for batch in batches {
                    insert.reset()
                    try insert.bind(endpoint, at: 1)
                    try insert.bind(Int64(shards), at: 2)
                    try insert.bind(Int64(batch.shard), at: 3)
                    try insert.bind(Int64(batch.samples), at: 4)
                    try insert.bind(batch.oldest, at: 5)
                    try insert.bind(batch.newest, at: 6)
                    try insert.bind(Int64(batch.payload.count), at: 7)
                    try insert.bind(blob: batch.payload, at: 8)
                    _ = try insert.step()
                }
            }
            state.withLock { state in
                var totals = state.totals[endpoint, default: Totals()]
                for batch in batches {
                    totals.samples += batch.samples
                    totals.bytes += batch.payload.count
                }
                state.totals[endpoint] = totals
            }
        }
    }

    /// Claims the first unclaimed batch of one shard (`shard` of `shards`), or with `shard` nil
    /// the first batch written under another shard count (left from an earlier configuration).
    func claim(_ endpoint: String, shards: Int, shard: Int?) throws -> BacklogRow? {
        try db.withConnection { db in
            let inFlight = state.withLock { $0.inFlight }
            let select = try shard == nil
                ? db.cached("""
                    SELECT id, shard, samples, oldest, newest, payload FROM remote_write_batches
                    WHERE endpoint = ? AND shards != ? ORDER BY id
                    """)
                : db.cached("""
                    SELECT id, shard, samples, oldest, newest, payload FROM remote_write_batches
                    WHERE endpoint = ? AND shards = ? AND shard = ? ORDER BY id
                    """)
            try select.bind(endpoint, at: 1)
            try select.bind(Int64(shards), at: 2)
            if let shard { try select.bind(Int64(shard), at: 3) }
            defer { select.reset() }
            while try select.step() {
                let id = select.int64(at: 0)
                guard !inFlight.contains(id) else { continue }
                state.withLock { _ = $0.inFlight.insert(id) }
                return BacklogRow(id: id, batch: EncodedBatch(
                    shard: Int(select.int64(at: 1)), samples: Int(select.int64(at: 2)),
                    oldest: select.int64(at: 3), newest: select.int64(at: 4), payload: select.blob(at: 5)))
            }
            return nil
        }
    }

    /// Ends a claim: deletes the batch (answered, refused or expired) or, with `remove` false,
    /// leaves it queued for a later claim (the sender was stopped).
    func finish(_ endpoint: String, _ row: BacklogRow, remove: Bool) throws {
        try db.withConnection { db in
            defer { state.withLock { _ = $0.inFlight.remove(row.id) } }
            guard remove else { return }
            try db.cached("DELETE FROM remote_write_batches WHERE id = ?").run([.integer(row.id)])
            guard db.changes > 0 else { return }
            state.withLock { state in
                state.totals[endpoint]?.samples -= row.batch.samples
                state.totals[endpoint]?.bytes -= row.batch.payload.count
            }
        }
    }

    /// Deletes the oldest unclaimed batches of `endpoint` whose newest sample is older than
    /// `expiredBefore` (ms), then more of the oldest until its bytes are within `maxBytes`.
    func trim(_ endpoint: String, expiredBefore: Timestamp, maxBytes: Int) throws -> Trimmed {
        try db.withConnection { db in
            var trimmed = Trimmed()
            let (inFlight, before) = state.withLock { ($0.inFlight, $0.totals[endpoint, default: Totals()]) }
            var bytes = before.bytes
            var doomed: [Int64] = []
            try db.forEach("""
                SELECT id, samples, newest, bytes FROM remote_write_batches WHERE endpoint = ? ORDER BY id
                """, [.text(endpoint)]) { row in
                let id = row.int64(at: 0), newest = row.int64(at: 2)
                let expired = newest < expiredBefore
                guard (expired || bytes > maxBytes), !inFlight.contains(id) else { return }
                doomed.append(id)
                trimmed.batches += 1
                trimmed.samples += Int(row.int64(at: 1))
                if expired { trimmed.expired += Int(row.int64(at: 1)) } else { trimmed.overflow += Int(row.int64(at: 1)) }
                bytes -= Int(row.int64(at: 3))
            }
            guard !doomed.isEmpty else { return trimmed }
            try db.withTransaction {
                let delete = try db.cached("DELETE FROM remote_write_batches WHERE id = ?")
                for id in doomed { try delete.run([.integer(id)]) }
            }
            state.withLock { state in
                state.totals[endpoint]?.samples -= trimmed.samples
                state.totals[endpoint]?.bytes = bytes
            }
            return trimmed
        }
    }

    /// Samples and bytes queued for `endpoint`.
    func totals(_ endpoint: String) -> Totals {
        state.withLock { $0.totals[endpoint, default: Totals()] }
    }

    /// The oldest sample timestamp among `endpoint`'s first queued batch, or nil when empty.
    func oldest(_ endpoint: String) throws -> Timestamp? {
        try db.withConnection { db in
            try db.cached("SELECT min(oldest) FROM (SELECT oldest FROM remote_write_batches WHERE endpoint = ? ORDER BY id LIMIT 16)")
                .scalar([.text(endpoint)])?.int64
        }
    }

    /// Deletes the queues of endpoints not in `endpoints`; returns the samples deleted per endpoint.
    func purge(keeping endpoints: Set<String>) throws -> [String: Int] {
        try db.withConnection { db in
            let gone = state.withLock { $0.totals.filter { !endpoints.contains($0.key) } }
            guard !gone.isEmpty else { return [:] }
            try db.withTransaction {
                for endpoint in gone.keys {
                    try db.execute("DELETE FROM remote_write_batches WHERE endpoint = ?", [.text(endpoint)])
                }
            }
            state.withLock { state in for endpoint in gone.keys { state.totals[endpoint] = nil } }
            return gone.filter { $0.value.samples > 0 }.mapValues(\.samples)
        }
    }
}
