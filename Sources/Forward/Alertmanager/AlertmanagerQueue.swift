import Model
import SQLite

/// One queued alert for one Alertmanager instance.
struct QueuedAlert: Sendable, Equatable {
    /// Increasing with insertion order; a newer version of the same alert gets a new one.
    var seq: Int64
    /// The `PostableAlert` JSON object.
    var json: String
    var queuedAt: Timestamp
}

/// Length and age of one instance's queue.
struct QueueStats: Sendable, Equatable {
    var count: Int
    var oldestQueuedAt: Timestamp
}

/// The durable per-instance queue (`<data_dir>/alertmanager.db`): an alert is written here before
/// it is sent and deleted once the instance accepted it. Only the latest version of an alert
/// (same labels) is kept per instance: Alertmanager merges by labels, so an older state still
/// queued behind a newer one would carry nothing new, and a long outage costs one row per alert,
/// not one per resend. Thread-safe.
final class AlertmanagerQueue: Sendable {
    static let migrator = Migrator(component: "alertmanager", migrations: [
        Migration(1, "alertmanager queue", sql: """
            CREATE TABLE alertmanager_queue (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                instance TEXT NOT NULL,
                identity TEXT NOT NULL,
                alert TEXT NOT NULL,
                queued_at INTEGER NOT NULL,
                UNIQUE (instance, identity)
            ) STRICT;
            CREATE INDEX alertmanager_queue_instance ON alertmanager_queue(instance, seq);
            """),
    ])

    private let db: SharedConnection

    init(path: String) throws {
        let connection = try Connection(path: path)
        _ = try Self.migrator.migrate(connection)
        db = SharedConnection(connection)
    }

    /// Queues every alert for every instance in one transaction (replacing older versions).
    func enqueue(_ alerts: [PostableAlert], instances: [String], at now: Timestamp) throws {
        guard !alerts.isEmpty, !instances.isEmpty else { return }
        let rows = alerts.map { (identity: $0.identity, json: $0.json) }
        try db.withConnection { db in
            try db.withTransaction {
                // REPLACE deletes the old row and inserts a new one, so the new version gets a new
                // seq: an in-flight batch holding the old seq cannot delete it on success.
                let insert = try db.cached("INSERT OR REPLACE INTO alertmanager_queue(instance, identity, alert, queued_at) VALUES (?, ?, ?, ?)")
                for instance in instances {
                    for row in rows {
                        try insert.run([.text(instance), .text(row.identity), .text(row.json), .integer(now)])
                    }
                }
            }
        }
    }

    /// The oldest `limit` alerts queued for `instance`, in queue order.
    func batch(instance: String, limit: Int) throws -> [QueuedAlert] {
        try db.withConnection { db in
            var out: [QueuedAlert] = []
            try db.cached("SELECT seq, alert, queued_at FROM alertmanager_queue WHERE instance = ? ORDER BY seq LIMIT ?")
                .forEach([.text(instance), .integer(Int64(limit))]) { s in
                    out.append(QueuedAlert(seq: s.int64(at: 0), json: s.string(at: 1), queuedAt: s.int64(at: 2)))
                }
            return out
        }
    }

    /// Deletes delivered (or given-up) rows by seq; rows replaced meanwhile are left alone.
    func remove(_ seqs: [Int64]) throws {
        guard !seqs.isEmpty else { return }
        try db.withConnection { db in
            try db.withTransaction {
                let delete = try db.cached("DELETE FROM alertmanager_queue WHERE seq = ?")
                for seq in seqs { try delete.run([.integer(seq)]) }
            }
        }
    }

    /// Drops what is older than `maxAge` ms or beyond the newest `maxLength` rows; returns how many.
    func trim(instance: String, maxAge: Int64, maxLength: Int, now: Timestamp) throws -> Int {
        try db.withConnection { db in
            try db.withTransaction {
                try db.cached("DELETE FROM alertmanager_queue WHERE instance = ? AND queued_at < ?")
                    .run([.text(instance), .integer(now - maxAge)])
                var dropped = db.changes
                try db.cached("""
                    DELETE FROM alertmanager_queue WHERE instance = ?1 AND seq <= (
                        SELECT seq FROM alertmanager_queue WHERE instance = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)
                    """).run([.text(instance), .integer(Int64(maxLength))])
                dropped += db.changes
                return dropped
            }
        }
    }

    /// Deletes the queues of instances no longer configured; returns how many rows went.
    @discardableResult
    func retain(instances: Set<String>) throws -> Int {
        try db.withConnection { db in
            var stale: [String] = []
            try db.forEach("SELECT DISTINCT instance FROM alertmanager_queue") { s in
                let instance = s.string(at: 0)
                if !instances.contains(instance) { stale.append(instance) }
            }
            var removed = 0
            for instance in stale {
                try db.execute("DELETE FROM alertmanager_queue WHERE instance = ?", [.text(instance)])
                removed += db.changes
            }
            return removed
        }
    }

    /// Length and oldest entry per instance (instances with an empty queue are absent).
    func stats() throws -> [String: QueueStats] {
        try db.withConnection { db in
            var out: [String: QueueStats] = [:]
            try db.forEach("SELECT instance, COUNT(*), MIN(queued_at) FROM alertmanager_queue GROUP BY instance") { s in
                out[s.string(at: 0)] = QueueStats(count: Int(s.int64(at: 1)), oldestQueuedAt: s.int64(at: 2))
            }
            return out
        }
    }
}
