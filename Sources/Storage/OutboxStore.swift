import Model
import SQLite

/// One queued notification in the durable outbox.
public struct OutboxRow: Sendable, Hashable {
    /// Increasing with insertion order: per-channel delivery order.
    public var id: Int64
    public var channel: String
    /// The alert group it belongs to: notifications of one group are delivered in order.
    public var groupKey: String
    /// The notification as the notifier encoded it (opaque here); empty when listed by `pending`.
    public var payload: [UInt8]
    public var createdAt: Timestamp
    public var attempts: Int
    /// Not to be tried before this time (ms).
    public var nextAttemptAt: Timestamp
    /// Why the last attempt failed (no secrets), if it did.
    public var lastError: String?
}

/// Length and age of one channel's queue.
public struct OutboxStats: Sendable, Hashable {
    public var channel: String
    public var count: Int
    public var oldestCreatedAt: Timestamp
}

/// The durable outbox: notifications are written here before they are sent and deleted only
/// once the receiver accepted them (or they were given up). Uses the caller's connection, so
/// enqueueing can share a transaction with the notification log; not thread-safe, like `Connection`.
public final class OutboxStore {
    static let migrator = Migrator(component: "outbox", migrations: [
        Migration(1, "outbox table", sql: """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                payload BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT
            ) STRICT;
            CREATE INDEX outbox_channel ON outbox(channel, id);
            """),
        Migration(2, "group key, so one group's notifications keep their order under parallel delivery", sql: """
            ALTER TABLE outbox ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
            """),
    ])

    private let db: Connection

    /// Uses `connection`, creating or upgrading the outbox table.
    public init(_ connection: Connection) throws {
        db = connection
        _ = try Self.migrator.migrate(connection)
    }

    /// Queues a notification; returns its id.
    @discardableResult
    public func enqueue(channel: String, groupKey: String, payload: [UInt8], createdAt: Timestamp) throws -> Int64 {
        try db.cached("INSERT INTO outbox(channel, group_key, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)")
            .run([.text(channel), .text(groupKey), .blob(payload), .integer(createdAt), .integer(createdAt)])
        return db.lastInsertRowID
    }

    /// The oldest `limit` queued notifications of `channel`, in queue order, without their
    /// payloads (read one with `payload(id:)` when it is sent).
    public func pending(channel: String, limit: Int) throws -> [OutboxRow] {
        var rows: [OutboxRow] = []
        try db.cached("""
            SELECT id, channel, group_key, created_at, attempts, next_attempt_at, last_error
            FROM outbox WHERE channel = ? ORDER BY id LIMIT ?
            """).forEach([.text(channel), .integer(Int64(limit))]) { s in
            rows.append(OutboxRow(id: s.int64(at: 0), channel: s.string(at: 1), groupKey: s.string(at: 2), payload: [],
                                  createdAt: s.int64(at: 3), attempts: Int(s.int64(at: 4)), nextAttemptAt: s.int64(at: 5),
                                  lastError: s.isNull(at: 6) ? nil : s.string(at: 6)))
        }
        return rows
    }

    /// Every queued notification of one group on one channel, oldest first, with its payload.
    public func queued(channel: String, groupKey: String) throws -> [(id: Int64, payload: [UInt8])] {
        var out: [(id: Int64, payload: [UInt8])] = []
        try db.cached("SELECT id, payload FROM outbox WHERE channel = ? AND group_key = ? ORDER BY id")
            .forEach([.text(channel), .text(groupKey)]) { out.append((id: $0.int64(at: 0), payload: $0.blob(at: 1))) }
        return out
    }

    /// The payload of one queued notification, nil when it is gone.
    public func payload(id: Int64) throws -> [UInt8]? {
        var out: [UInt8]?
        try db.cached("SELECT payload FROM outbox WHERE id = ?").forEach([.integer(id)]) { out = $0.blob(at: 0) }
        return out
    }

    /// Removes a delivered or abandoned notification.
    public func delete(id: Int64) throws {
        try db.cached("DELETE FROM outbox WHERE id = ?").run([.integer(id)])
    }

    /// Records a failed attempt and when to try again.
    public func reschedule(id: Int64, attempts: Int, nextAttemptAt: Timestamp, lastError: String) throws {
        try db.cached("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?")
            .run([.integer(Int64(attempts)), .integer(nextAttemptAt), .text(lastError), .integer(id)])
    }

    /// Per-channel queue length and oldest entry, sorted by channel.
    public func stats() throws -> [OutboxStats] {
        var out: [OutboxStats] = []
        try db.cached("SELECT channel, COUNT(*), MIN(created_at) FROM outbox GROUP BY channel ORDER BY channel").forEach { s in
            out.append(OutboxStats(channel: s.string(at: 0), count: Int(s.int64(at: 1)), oldestCreatedAt: s.int64(at: 2)))
        }
        return out
    }

    /// Total queued notifications.
    public func count() throws -> Int {
        Int(try db.cached("SELECT COUNT(*) FROM outbox").scalar()?.int64 ?? 0)
    }
}
