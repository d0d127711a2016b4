import Foundation
import Model
import SQLite

/// Silences in SQLite. Works on any connection to the database file, so `lookout silence` can
/// manage silences whether or not the daemon runs; the daemon re-reads them as it flushes.
public final class SilenceStore {
    static let migrator = Migrator(component: "silences", migrations: [
        Migration(1, "silences table", sql: """
            CREATE TABLE silences (
                id TEXT PRIMARY KEY,
                matchers TEXT NOT NULL,
                starts_at INTEGER NOT NULL,
                ends_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                comment TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            ) STRICT;
            """),
    ])

    /// Matchers as Alertmanager's API spells them.
    struct StoredMatcher: Codable {
        var name: String
        var value: String
        var isRegex: Bool
        var isEqual: Bool
    }

    private let db: Connection

    /// Uses `connection`, creating or upgrading the table.
    public init(_ connection: Connection) throws {
        db = connection
        _ = try Self.migrator.migrate(connection)
    }

    /// Stores a new silence or replaces the one with the same id.
    public func save(_ silence: Silence) throws {
        let matchers = silence.matchers.map {
            StoredMatcher(name: $0.name, value: $0.value, isRegex: $0.kind == .regexMatch || $0.kind == .regexNoMatch,
                          isEqual: $0.kind == .equal || $0.kind == .regexMatch)
        }
        let json = String(decoding: try JSONEncoder().encode(matchers), as: UTF8.self)
        try db.cached("""
            INSERT OR REPLACE INTO silences(id, matchers, starts_at, ends_at, created_by, comment, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).run([.text(silence.id), .text(json), .integer(silence.startsAt), .integer(silence.endsAt),
                      .text(silence.createdBy), .text(silence.comment), .integer(silence.updatedAt)])
    }

    /// Every silence, newest first. Silences whose stored matchers no longer compile are skipped.
    public func all() throws -> [Silence] {
        var out: [Silence] = []
        try db.cached("""
            SELECT id, matchers, starts_at, ends_at, created_by, comment, updated_at FROM silences ORDER BY starts_at DESC, id
            """).forEach { s in
            guard let matchers = try? Self.decode(s.string(at: 1)) else { return }
            out.append(Silence(id: s.string(at: 0), matchers: matchers, startsAt: s.int64(at: 2), endsAt: s.int64(at: 3),
                               createdBy: s.string(at: 4), comment: s.string(at: 5), updatedAt: s.int64(at: 6)))
        }
        return out
    }

    /// The silence with `id`, if any.
    public func get(_ id: String) throws -> Silence? {
        try all().first { $0.id == id }
    }

    /// Ends a silence at `now`; returns false when there is no such silence or it had already ended.
    public func expire(_ id: String, now: Timestamp) throws -> Bool {
        try db.cached("UPDATE silences SET ends_at = ?, starts_at = MIN(starts_at, ?), updated_at = ? WHERE id = ? AND ends_at > ?")
            .run([.integer(now), .integer(now), .integer(now), .text(id), .integer(now)])
        return db.changes > 0
    }

    /// Removes silences that ended before `cutoff`.
    public func prune(endedBefore cutoff: Timestamp) throws {
        try db.cached("DELETE FROM silences WHERE ends_at < ?").run([.integer(cutoff)])
    }

    private static func decode(_ json: String) throws -> [Matcher] {
        try JSONDecoder().decode([StoredMatcher].self, from: Data(json.utf8)).map { m in
            let kind: Matcher.Kind = m.isRegex ? (m.isEqual ? .regexMatch : .regexNoMatch) : (m.isEqual ? .equal : .notEqual)
            return try Matcher(m.name, kind, m.value)
        }
    }
}
