import Model
import SQLite

/// The TSDB's tables, owned by the "tsdb" migration component.
///
/// - `series`: one row per label set; `id` is the stable integer id used everywhere else;
///   `hash` (FNV-1a of `labels`) finds a label set without loading all of them.
/// - `head`: one row per appended batch (the write-ahead part), with its time and id ranges
///   so queries skip rows that cannot hold what they want.
/// - `chunks`: one row per series per block; the rowid is `block << 32 | series id`, so a
///   block's chunks are contiguous (append-only writes, cheap retention) and a series' chunk
///   in a block is a point lookup.
enum Schema {
    static let component = "tsdb"

    static let migrations: [Migration] = [
        Migration(1, "series, head and chunks", sql: """
            CREATE TABLE series(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, labels BLOB NOT NULL);
            CREATE INDEX series_by_hash ON series(hash);
            CREATE TABLE head(id INTEGER PRIMARY KEY, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
                              min_series INTEGER NOT NULL, max_series INTEGER NOT NULL, data BLOB NOT NULL);
            CREATE TABLE chunks(key INTEGER PRIMARY KEY, data BLOB NOT NULL);
            """),
        Migration(2, "label index for matchers, backfilled from series", apply: { connection in
            try connection.execute("""
                CREATE TABLE label_index(name TEXT NOT NULL, value TEXT NOT NULL, series_id INTEGER NOT NULL,
                                         PRIMARY KEY(name, value, series_id)) WITHOUT ROWID
                """)
            var rows: [(Int64, Labels)] = []
            try connection.forEach("SELECT id, labels FROM series") { row in
                rows.append((row.int64(at: 0), try row.withBlob(at: 1) { try LabelCodec.decode($0) }))
            }
            for (id, labels) in rows { try insertLabelIndex(connection, id: id, labels: labels) }
        }),
        Migration(3, "settings that fix the on-disk layout", sql: """
            CREATE TABLE tsdb_settings(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """),
    ]

    static var migrator: Migrator { Migrator(component: component, migrations: migrations) }

    static func chunkKey(block: Int64, series: UInt32) -> Int64 { block << 32 | Int64(series) }
    static func block(ofKey key: Int64) -> Int64 { key >> 32 }
    static func series(ofKey key: Int64) -> UInt32 { UInt32(truncatingIfNeeded: key) }
}

extension Schema {
    static func insertLabelIndex(_ connection: Connection, id: Int64, labels: Labels) throws {
        let insert = try connection.cached("INSERT OR IGNORE INTO label_index(name, value, series_id) VALUES(?, ?, ?)")
        for label in labels {
            try insert.bind(label.name, at: 1)
            try insert.bind(label.value, at: 2)
            try insert.bind(id, at: 3)
            try insert.step()
            insert.reset()
        }
    }

    /// A layout setting stored in the file, written on first use; a file keeps its layout.
    static func setting(_ connection: Connection, _ name: String, proposed: Int64) throws -> Int64 {
        if let stored = try connection.scalar("SELECT value FROM tsdb_settings WHERE name = ?", [.text(name)])?.int64 { return stored }
        guard !connection.isReadOnly else { return proposed }
        try storeSetting(connection, name, proposed)
        return proposed
    }

    static func storedSetting(_ connection: Connection, _ name: String) throws -> Int64? {
        try connection.scalar("SELECT value FROM tsdb_settings WHERE name = ?", [.text(name)])?.int64
    }

    static func storeSetting(_ connection: Connection, _ name: String, _ value: Int64) throws {
        try connection.execute("INSERT INTO tsdb_settings(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                               [.text(name), .integer(value)])
    }
}
