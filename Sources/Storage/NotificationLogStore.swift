import Model
import SQLite

/// What was last notified for one alert group on one channel (the dedup stage's memory).
public struct NotificationLogRecord: Sendable, Hashable {
    public var channel: String
    public var groupKey: String
    /// Fingerprints of the alerts firing and resolved at that notification.
    public var firing: [UInt64]
    public var resolved: [UInt64]
    public var sentAt: Timestamp

    public init(channel: String, groupKey: String, firing: [UInt64], resolved: [UInt64], sentAt: Timestamp) {
        self.channel = channel
        self.groupKey = groupKey
        self.firing = firing
        self.resolved = resolved
        self.sentAt = sentAt
    }
}

/// The notification log in SQLite, so a restart neither repeats nor forgets notifications.
/// Uses the caller's connection; not thread-safe, like `Connection`.
public final class NotificationLogStore {
    static let migrator = Migrator(component: "notification_log", migrations: [
        Migration(1, "notification log table", sql: """
            CREATE TABLE notification_log (
                channel TEXT NOT NULL,
                group_key TEXT NOT NULL,
                firing TEXT NOT NULL,
                resolved TEXT NOT NULL,
                sent_at INTEGER NOT NULL,
                PRIMARY KEY (channel, group_key)
            ) STRICT, WITHOUT ROWID;
            """),
    ])

    private let db: Connection

    /// Uses `connection`, creating or upgrading the table.
    public init(_ connection: Connection) throws {
        db = connection
        _ = try Self.migrator.migrate(connection)
    }

    /// Stores (replaces) the entry of one group and channel.
    public func upsert(_ record: NotificationLogRecord) throws {
        try db.cached("""
            INSERT INTO notification_log(channel, group_key, firing, resolved, sent_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(channel, group_key) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved,
                sent_at = excluded.sent_at
            """).run([.text(record.channel), .text(record.groupKey), .text(Self.encode(record.firing)),
                      .text(Self.encode(record.resolved)), .integer(record.sentAt)])
    }

    /// Every entry.
    public func all() throws -> [NotificationLogRecord] {
        var out: [NotificationLogRecord] = []
        try db.cached("SELECT channel, group_key, firing, resolved, sent_at FROM notification_log").forEach { s in
            out.append(NotificationLogRecord(channel: s.string(at: 0), groupKey: s.string(at: 1),
                                             firing: Self.decode(s.string(at: 2)), resolved: Self.decode(s.string(at: 3)),
                                             sentAt: s.int64(at: 4)))
        }
        return out
    }

    /// Forgets entries not updated since `cutoff` (Alertmanager keeps its log 5 days).
    public func prune(before cutoff: Timestamp) throws {
        try db.cached("DELETE FROM notification_log WHERE sent_at < ?").run([.integer(cutoff)])
    }

    private static func encode(_ fingerprints: [UInt64]) -> String {
        fingerprints.sorted().map { String($0, radix: 16) }.joined(separator: ",")
    }

    private static func decode(_ text: String) -> [UInt64] {
        text.split(separator: ",").compactMap { UInt64($0, radix: 16) }
    }
}
