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
        Migration(4, "sample counts for stats", apply: { connection in
            try connection.execute("ALTER TABLE head ADD COLUMN samples INTEGER NOT NULL DEFAULT 0")
            var counts: [(Int64, Int64)] = []
            try connection.forEach("SELECT id, data FROM head") { row in
                counts.append((row.int64(at: 0), try row.withBlob(at: 1) { Int64(try HeadCodec.count($0)) }))
            }
            for (id, n) in counts { try connection.execute("UPDATE head SET samples = ? WHERE id = ?", [.integer(n), .integer(id)]) }
            var total: Int64 = 0
            try connection.forEach("SELECT substr(data, 1, 10) FROM chunks") { row in total += row.withBlob(at: 0) { ChunkCodec.count($0) } }
            try storeSetting(connection, "chunk_samples", total)
        }),
        // Filled by the first prune, not here: reading every chunk key of a large file at start-up
        // could outlast the service manager's start timeout.
        Migration(5, "highest chunk block per series, filled by the first prune", apply: { connection in
            try connection.execute("CREATE TABLE series_last_chunk(id INTEGER PRIMARY KEY, block INTEGER NOT NULL)")
            if try connection.scalar("SELECT 1 FROM chunks LIMIT 1") != nil {
                try storeSetting(connection, "series_last_chunk_pending", 1)
            }
            // Ids handed out so far: none is handed out again once series are pruned.
            if let highest = try connection.scalar("SELECT max(id) FROM series")?.int64 {
                try storeSetting(connection, "series_high_water", highest)
            }
        }),
    ]

    static var migrator: Migrator { Migrator(component: component, migrations: migrations) }

    static func chunkKey(block: Int64, series: UInt32) -> Int64 { block << 32 | Int64(series) }
    static func block(ofKey key: Int64) -> Int64 { key >> 32 }
    static func series(ofKey key: Int64) -> UInt32 { UInt32(truncatingIfNeeded: key) }
}

extension Schema {
    static func insertLabelIndex(_ connection: Connection, id: Int64, labels: Labels) throws {
        try forEachLabel(connection, "INSERT OR IGNORE INTO label_index(name, value, series_id) VALUES(?, ?, ?)", id: id, labels: labels)
    }

    /// Deletes a series row with its label index rows and chunk record (the caller's transaction).
    static func deleteSeries(_ connection: Connection, id: Int64, labels: Labels) throws {
        try forEachLabel(connection, "DELETE FROM label_index WHERE name = ? AND value = ? AND series_id = ?", id: id, labels: labels)
        try connection.execute("DELETE FROM series WHERE id = ?", [.integer(id)])
        try connection.execute("DELETE FROM series_last_chunk WHERE id = ?", [.integer(id)])
    }

    /// Runs the cached statement `sql` (parameters: label name, label value, series id) once per label.
    private static func forEachLabel(_ connection: Connection, _ sql: String, id: Int64, labels: Labels) throws {
        let statement = try connection.cached(sql)
        for label in labels {
            try statement.bind(label.name, at: 1)
            try statement.bind(label.value, at: 2)
            try statement.bind(id, at: 3)
            try statement.step()
            statement.reset()
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

    /// Adds `delta` to the count of samples held in chunks.
    static func addChunkSamples(_ connection: Connection, _ delta: Int64) throws {
        guard delta != 0 else { return }
        try connection.execute("""
            INSERT INTO tsdb_settings(name, value) VALUES('chunk_samples', ?)
            ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
            """, [.integer(delta)])
    }

    /// Records that series `id` has a chunk keyed by `block`; the table keeps the highest block
    /// ever written (a merge moves chunks to a lower key, which only makes the record conservative).
    static func noteChunkBlock(_ connection: Connection, series id: UInt32, block: Int64) throws {
        let upsert = try connection.cached("""
            INSERT INTO series_last_chunk(id, block) VALUES(?, ?)
            ON CONFLICT(id) DO UPDATE SET block = excluded.block WHERE excluded.block > block
            """)
        try upsert.bind(Int64(id), at: 1)
        try upsert.bind(block, at: 2)
        try upsert.step()
        upsert.reset()
    }

    static func storeSetting(_ connection: Connection, _ name: String, _ value: Int64) throws {
        try connection.execute("INSERT INTO tsdb_settings(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                               [.text(name), .integer(value)])
    }
}
