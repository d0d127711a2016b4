import Model
import SQLite
import Synchronization

/// The latest result of one health check, with the last failure and why it failed: what
/// `lookout status` and the status page show next to the stored `probe_*` series.
public struct CheckStatusRow: Sendable, Hashable {
    public var check: String
    public var success: Bool
    /// When the latest probe ran (ms).
    public var at: Timestamp
    /// Latency of the latest probe, seconds.
    public var durationSeconds: Double
    /// Why the latest probe failed (nil when it succeeded).
    public var reason: String?
    /// The most recent failure, kept after the check recovers.
    public var lastFailureAt: Timestamp?
    public var lastFailureReason: String?

    /// Creates a row.
    public init(check: String, success: Bool, at: Timestamp, durationSeconds: Double, reason: String?,
                lastFailureAt: Timestamp? = nil, lastFailureReason: String? = nil) {
        self.check = check
        self.success = success
        self.at = at
        self.durationSeconds = durationSeconds
        self.reason = reason
        self.lastFailureAt = lastFailureAt
        self.lastFailureReason = lastFailureReason
    }
}

/// The check status table (component "checks"), one row per check, upserted on every probe so
/// another process (`lookout status`) can read why a check last failed. Thread-safe.
public final class CheckStatusStore: Sendable {
    static let migrator = Migrator(component: "checks", migrations: [
        Migration(1, "check_status table", sql: """
            CREATE TABLE check_status (
                check_name TEXT PRIMARY KEY,
                success INTEGER NOT NULL,
                at INTEGER NOT NULL,
                duration REAL NOT NULL,
                reason TEXT,
                last_failure_at INTEGER,
                last_failure_reason TEXT
            ) WITHOUT ROWID;
            """),
    ])

    private let connection: Mutex<Connection>

    /// Opens (creating if needed) the database at `path` and migrates the "checks" component.
    public init(path: String) throws {
        let connection = try Connection(path: path)
        try CheckStatusStore.migrator.migrate(connection)
        self.connection = Mutex(connection)
    }

    /// Records one probe result; a failure also becomes the check's last failure.
    public func record(check: String, success: Bool, at: Timestamp, durationSeconds: Double, reason: String?) throws {
        try connection.withLock { db in
            try db.cached("""
                INSERT INTO check_status (check_name, success, at, duration, reason, last_failure_at, last_failure_reason)
                VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?2 = 0 THEN ?3 END, CASE WHEN ?2 = 0 THEN ?5 END)
                ON CONFLICT (check_name) DO UPDATE SET
                    success = excluded.success, at = excluded.at, duration = excluded.duration, reason = excluded.reason,
                    last_failure_at = CASE WHEN excluded.success = 0 THEN excluded.at ELSE last_failure_at END,
                    last_failure_reason = CASE WHEN excluded.success = 0 THEN excluded.reason ELSE last_failure_reason END
                """).run([.text(check), .integer(success ? 1 : 0), .integer(at), .real(durationSeconds),
                          reason.map { .text($0) } ?? .null])
        }
    }

    /// Removes checks that are no longer configured.
    public func retain(_ checks: Set<String>) throws {
        let stale = try all().map(\.check).filter { !checks.contains($0) }
        try connection.withLock { db in
            for name in stale { try db.execute("DELETE FROM check_status WHERE check_name = ?", [.text(name)]) }
        }
    }

    /// Every row, by check name.
    public func all() throws -> [CheckStatusRow] {
        try connection.withLock { db in
            var rows: [CheckStatusRow] = []
            try db.forEach("""
                SELECT check_name, success, at, duration, reason, last_failure_at, last_failure_reason
                FROM check_status ORDER BY check_name
                """) { r in
                rows.append(CheckStatusRow(
                    check: r.string(at: 0), success: r.int64(at: 1) != 0, at: r.int64(at: 2), durationSeconds: r.double(at: 3),
                    reason: r.isNull(at: 4) ? nil : r.string(at: 4),
                    lastFailureAt: r.isNull(at: 5) ? nil : r.int64(at: 5),
                    lastFailureReason: r.isNull(at: 6) ? nil : r.string(at: 6)))
            }
            return rows
        }
    }
}
