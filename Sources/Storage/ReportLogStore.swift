import Model
import SQLite

/// The day each scheduled report was last queued (component "reports"), so a restart never sends
/// a report twice. Uses the caller's connection, so marking a day shares the outbox transaction;
/// not thread-safe, like `Connection`.
public final class ReportLogStore {
    static let migrator = Migrator(component: "reports", migrations: [
        Migration(1, "report_log table", sql: """
            CREATE TABLE report_log (
                name TEXT PRIMARY KEY,
                last_day TEXT NOT NULL,
                sent_at INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            """),
    ])

    private let db: Connection

    /// Uses `connection`, creating or upgrading the table.
    public init(_ connection: Connection) throws {
        db = connection
        _ = try Self.migrator.migrate(connection)
    }

    /// The local day (`YYYY-MM-DD`) each report was last queued for, by report name.
    public func lastDays() throws -> [String: String] {
        var out: [String: String] = [:]
        try db.cached("SELECT name, last_day FROM report_log").forEach { out[$0.string(at: 0)] = $0.string(at: 1) }
        return out
    }

    /// Records that `name` was queued for `day` at `sentAt` (ms).
    public func markSent(name: String, day: String, sentAt: Timestamp) throws {
        try db.cached("""
            INSERT INTO report_log(name, last_day, sent_at) VALUES (?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET last_day = excluded.last_day, sent_at = excluded.sent_at
            """).run([.text(name), .text(day), .integer(sentAt)])
    }
}
