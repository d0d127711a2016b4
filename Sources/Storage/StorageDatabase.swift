import SQLite

/// The one database file every stage shares (`<data_dir>/lookout.db`).
///
/// Other stages open their own connection here and run their own `Migrator` component
/// ("alerts", "outbox", "silences", …); the TSDB owns the "tsdb" component.
public enum StorageDatabase {
    /// The file name inside `global.data_dir`.
    public static let fileName = "lookout.db"

    /// `<dataDir>/lookout.db`.
    public static func path(dataDir: String) -> String {
        dataDir.hasSuffix("/") ? dataDir + fileName : dataDir + "/" + fileName
    }

    /// Opens a connection to `lookout.db` in `dataDir` with the house settings: WAL,
    /// synchronous=NORMAL (or the given level), a 5 s busy timeout, incremental auto-vacuum on a new
    /// file. With `readOnly` the file must exist and nothing is written. Throws `SQLiteError`.
    public static func open(dataDir: String, readOnly: Bool = false, synchronous: String = "NORMAL") throws -> Connection {
        try open(path: path(dataDir: dataDir), readOnly: readOnly, synchronous: synchronous)
    }

    /// As `open(dataDir:)`, for an explicit file path.
    public static func open(path: String, readOnly: Bool = false, synchronous: String = "NORMAL") throws -> Connection {
        if readOnly { return try Connection(path: path, options: .readOnly) }
        var options = Connection.Options()
        options.synchronous = synchronous
        // Metrics are not secrets: zeroing deleted pages (the build's default) only costs I/O.
        options.pragmas = ["secure_delete=OFF"]
        options.journalMode = nil   // set below, after auto_vacuum, which must come first on a new file
        let connection = try Connection(path: path, options: options)
        let isNew = try connection.pragmaInt("page_count") == 0
        if isNew { try connection.execute("PRAGMA auto_vacuum=INCREMENTAL") }
        let mode = try connection.scalar("PRAGMA journal_mode=WAL")?.string ?? ""
        if mode.lowercased() != "wal" {
            throw SQLiteError(code: 1, message: "cannot switch \(path) to WAL mode (journal_mode is \(mode))")
        }
        return connection
    }
}
