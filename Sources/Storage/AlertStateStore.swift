import Foundation
import Model
import SQLite
import Synchronization

/// One alert's persisted state: the rule it belongs to, the alert with its timeline, and the
/// rule evaluator's bookkeeping.
public struct PersistedAlert: Sendable, Hashable {
    /// Identifies the rule (file, group and alert name), stable across restarts and reloads.
    public var ruleKey: String
    /// The alert: labels, annotations, state, value, active/fired/resolved times.
    public var alert: Alert
    /// When `keep_firing_for` started holding the alert.
    public var keepFiringSince: Timestamp?
    /// When the alert was last handed to the notifier.
    public var lastSentAt: Timestamp?

    /// Creates a row.
    public init(ruleKey: String, alert: Alert, keepFiringSince: Timestamp? = nil, lastSentAt: Timestamp? = nil) {
        self.ruleKey = ruleKey
        self.alert = alert
        self.keepFiringSince = keepFiringSince
        self.lastSentAt = lastSentAt
    }
}

/// The alert state table (component "alerts"): written by the rule evaluator on every transition
/// and read once at start, so `for` clocks, firing alerts and pending resolves survive restarts.
/// Thread-safe; owns its connection (WAL allows it next to the store's writer).
public final class AlertStateStore: Sendable {
    /// The schema history of the "alerts" component.
    public static let migrator = Migrator(component: "alerts", migrations: [
        Migration(1, "alert_state table", sql: """
            CREATE TABLE alert_state (
                rule_key TEXT NOT NULL,
                labels TEXT NOT NULL,
                annotations TEXT NOT NULL,
                state TEXT NOT NULL,
                value REAL,
                active_at INTEGER NOT NULL,
                fired_at INTEGER,
                resolved_at INTEGER,
                keep_firing_since INTEGER,
                last_sent_at INTEGER,
                generator_url TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (rule_key, labels)
            ) WITHOUT ROWID;
            """),
    ])

    private let connection: Mutex<Connection>

    /// Opens (creating if needed) the database at `path` and migrates the "alerts" component.
    public init(path: String) throws {
        let connection = try Connection(path: path)
        try AlertStateStore.migrator.migrate(connection)
        self.connection = Mutex(connection)
    }

    /// Inserts or replaces each alert's row, all in one transaction.
    public func save(_ alerts: [PersistedAlert]) throws {
        guard !alerts.isEmpty else { return }
        try connection.withLock { db in
            try db.withTransaction {
                for row in alerts {
                    let a = row.alert
                    try db.execute("""
                        INSERT OR REPLACE INTO alert_state (rule_key, labels, annotations, state, value, active_at,
                            fired_at, resolved_at, keep_firing_since, last_sent_at, generator_url)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [
                            .text(row.ruleKey), .text(Self.encode(a.labels)), .text(Self.encode(a.annotations)),
                            .text(a.state.rawValue), a.value.isNaN ? .null : .real(a.value), .integer(a.activeAt),
                            Self.optional(a.firedAt), Self.optional(a.resolvedAt), Self.optional(row.keepFiringSince),
                            Self.optional(row.lastSentAt), .text(a.generatorURL),
                        ])
                }
            }
        }
    }

    /// Removes rows by rule key and labels, in one transaction.
    public func delete(_ keys: [(ruleKey: String, labels: Labels)]) throws {
        guard !keys.isEmpty else { return }
        try connection.withLock { db in
            try db.withTransaction {
                for key in keys {
                    try db.execute("DELETE FROM alert_state WHERE rule_key = ? AND labels = ?",
                                   [.text(key.ruleKey), .text(Self.encode(key.labels))])
                }
            }
        }
    }

    /// Every stored alert, ordered by rule key and labels.
    public func loadAll() throws -> [PersistedAlert] {
        try connection.withLock { db in
            var out: [PersistedAlert] = []
            try db.forEach("""
                SELECT rule_key, labels, annotations, state, value, active_at, fired_at, resolved_at,
                       keep_firing_since, last_sent_at, generator_url FROM alert_state ORDER BY rule_key, labels
                """) { row in
                let alert = Alert(labels: Self.decode(row.string(at: 1)), annotations: Self.decode(row.string(at: 2)),
                                  state: AlertState(rawValue: row.string(at: 3)) ?? .inactive,
                                  value: row.isNull(at: 4) ? .nan : row.double(at: 4), activeAt: row.int64(at: 5),
                                  firedAt: row.isNull(at: 6) ? nil : row.int64(at: 6),
                                  resolvedAt: row.isNull(at: 7) ? nil : row.int64(at: 7),
                                  generatorURL: row.string(at: 10))
                out.append(PersistedAlert(ruleKey: row.string(at: 0), alert: alert,
                                          keepFiringSince: row.isNull(at: 8) ? nil : row.int64(at: 8),
                                          lastSentAt: row.isNull(at: 9) ? nil : row.int64(at: 9)))
            }
            return out
        }
    }

    private static func optional(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }

    /// Labels as JSON with sorted keys: canonical, so equal label sets give equal keys.
    static func encode(_ labels: Labels) -> String {
        let data = try? JSONSerialization.data(withJSONObject: labels.dictionary, options: [.sortedKeys])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    static func decode(_ text: String) -> Labels {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return Labels() }
        return Labels(object)
    }
}
