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
        Migration(2, "check_failures table", sql: """
            CREATE TABLE check_failures (
                check_name TEXT NOT NULL,
                at INTEGER NOT NULL,
                reason TEXT NOT NULL,
                starts_outage INTEGER NOT NULL,
                PRIMARY KEY (check_name, at)
            ) WITHOUT ROWID;
            """),
    ])

    /// Failures kept per check besides those that start an outage: the status page's history shows
    /// the last 50 probes.
    public static let recentFailuresKept = 50
    /// Outage starts kept per check at most, so a check that flaps on every probe stays bounded.
    public static let outageStartsKept = 500

    private let connection: Mutex<Connection>
    private let retention: Int64

    /// Opens (creating if needed) the database at `path` and migrates the "checks" component.
    /// Failures that started an outage are kept for `retention` (ms), as long as the samples.
    public init(path: String, retention: Int64 = 30 * 86_400_000) throws {
        let connection = try Connection(path: path)
        try CheckStatusStore.migrator.migrate(connection)
        self.connection = Mutex(connection)
        self.retention = retention
    }

    /// Records one probe result; a failure also becomes the check's last failure, and its reason is
    /// kept with its time (see `failures(since:)`).
    public func record(check: String, success: Bool, at: Timestamp, durationSeconds: Double, reason: String?) throws {
        try connection.withLock { db in
            guard !success else {
                return try upsert(db, check: check, success: true, at: at, durationSeconds: durationSeconds, reason: reason)
            }
            try db.withTransaction {
                try recordFailure(db, check: check, at: at, reason: reason ?? "")
                try upsert(db, check: check, success: false, at: at, durationSeconds: durationSeconds, reason: reason)
            }
        }
    }

    /// Keeps the failure's reason. The last `recentFailuresKept` failures of a check stay, and the
    /// first of each outage for `retention` (the newest `outageStartsKept` at most).
    private func recordFailure(_ db: Connection, check: String, at: Timestamp, reason: String) throws {
        let previous = try db.scalar("SELECT success FROM check_status WHERE check_name = ?", [.text(check)])?.int64
        let startsOutage = previous != 0  // after a success, or the first probe ever
        try db.cached("""
            INSERT INTO check_failures (check_name, at, reason, starts_outage) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (check_name, at) DO UPDATE SET reason = excluded.reason
            """).run([.text(check), .integer(at), .text(reason), .integer(startsOutage ? 1 : 0)])
        try db.cached("""
            DELETE FROM check_failures WHERE check_name = ?1 AND (at < ?2 OR (starts_outage = 0 AND at <
                (SELECT at FROM check_failures WHERE check_name = ?1 ORDER BY at DESC LIMIT 1 OFFSET ?3)))
            """).run([.text(check), .integer(at - retention), .integer(Int64(Self.recentFailuresKept - 1))])
        guard startsOutage else { return }
        try db.cached("""
            DELETE FROM check_failures WHERE check_name = ?1 AND starts_outage = 1 AND at <
                (SELECT at FROM check_failures WHERE check_name = ?1 AND starts_outage = 1 ORDER BY at DESC LIMIT 1 OFFSET ?2)
            """).run([.text(check), .integer(Int64(Self.outageStartsKept - 1))])
    }

    private func upsert(_ db: Connection, check: String, success: Bool, at: Timestamp, durationSeconds: Double,
                        reason: String?) throws {
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

    /// Removes checks that are no longer configured.
    public func retain(_ checks: Set<String>) throws {
        let stale = try all().map(\.check).filter { !checks.contains($0) }
        try connection.withLock { db in
            for name in stale {
                try db.execute("DELETE FROM check_status WHERE check_name = ?", [.text(name)])
                try db.execute("DELETE FROM check_failures WHERE check_name = ?", [.text(name)])
            }
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

    /// The kept failures since `start` (ms), oldest first, by check.
    public func failures(since start: Timestamp) throws -> [String: [CheckFailure]] {
        try connection.withLock { db in
            var out: [String: [CheckFailure]] = [:]
            try db.forEach("""
                SELECT check_name, at, reason, starts_outage FROM check_failures WHERE at >= ? ORDER BY check_name, at
                """, [.integer(start)]) { r in
                out[r.string(at: 0), default: []].append(
                    CheckFailure(at: r.int64(at: 1), reason: r.string(at: 2), startsOutage: r.int64(at: 3) != 0))
            }
            return out
        }
    }
}

/// One failed probe of a check and why it failed.
public struct CheckFailure: Sendable, Hashable {
    /// When the probe ran (ms).
    public var at: Timestamp
    /// Why it failed.
    public var reason: String
    /// Whether the probe before it succeeded (or there was none): the first failure of an outage.
    public var startsOutage: Bool

    /// Creates a failure.
    public init(at: Timestamp, reason: String, startsOutage: Bool) {
        self.at = at
        self.reason = reason
        self.startsOutage = startsOutage
    }
}
