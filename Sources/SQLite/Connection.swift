internal import CSQLite

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe (it is opened in multi-thread mode, `SQLITE_OPEN_NOMUTEX`): use it from one
/// task or thread at a time, for example inside an actor or a `Mutex`. Every SQLite return code is
/// checked and turned into a `SQLiteError`. `close()` is called by `deinit` if not called before.
public final class Connection {
    /// How to open a connection.
    public struct Options: Sendable {
        /// Open read-only (through a `file:` URI with `mode=ro`); no pragmas that write are run.
        public var readOnly = false
        /// Create the file when missing (ignored for read-only connections).
        public var create = true
        /// `PRAGMA journal_mode`; WAL lets readers run while the writer writes.
        public var journalMode: String? = "WAL"
        /// `PRAGMA synchronous`: the build defaults to FULL; NORMAL in WAL mode survives process kills
        /// and loses at most the last transactions on power loss, never consistency.
        public var synchronous: String? = "NORMAL"
        /// How long to wait for another connection's lock, in milliseconds.
        public var busyTimeoutMilliseconds: Int32 = 5_000
        /// Page cache size in KiB (`PRAGMA cache_size=-N`); nil keeps SQLite's 2 MB.
        public var cacheSizeKiB: Int? = 16_384
        /// `PRAGMA journal_size_limit` in bytes (ignored for read-only connections): once a checkpoint
        /// has emptied the WAL, the next commit truncates a larger `-wal` file to this size. SQLite's
        /// default (nil: no limit) keeps the file at its largest size ever — that of the biggest
        /// transaction or of the longest stretch a reader held back checkpoints — for the life of
        /// the database. Default 16 MiB (4× the WAL at which SQLite checkpoints on its own).
        public var journalSizeLimitBytes: Int64? = 16 << 20
        /// Further pragmas run after opening, e.g. `"foreign_keys=ON"`.
        public var pragmas: [String] = []

        /// Defaults: read-write, create, WAL, synchronous=NORMAL, 5 s busy timeout, 16 MiB cache,
        /// WAL file truncated back to 16 MiB after checkpoints.
        public init() {}

        /// Options for a read-only connection.
        public static var readOnly: Options {
            var options = Options()
            options.readOnly = true
            options.create = false
            options.journalMode = nil
            options.synchronous = nil
            options.journalSizeLimitBytes = nil
            return options
        }
    }

    var handle: OpaquePointer?
    /// The path the connection was opened with.
    public let path: String
    private var cache: [String: Statement] = [:]

    /// Opens (and by default creates) the database at `path`. `":memory:"` opens a private in-memory database.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        var name = path
        if options.readOnly {
            flags |= SQLITE_OPEN_READONLY
            if path != ":memory:" { name = "file:" + Connection.uriEscape(path) + "?mode=ro" }
        } else {
            flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0)
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError.from(db, code: rc, sql: nil)
            sqlite3_close_v2(db)
            throw SQLiteError(code: error.code, extendedCode: error.extendedCode, message: "cannot open \(path): \(error.message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        try check(sqlite3_busy_timeout(db, options.busyTimeoutMilliseconds), sql: nil)
        do {
            try configure(options)
        } catch {
            close()
            throw error
        }
    }

    private func configure(_ options: Options) throws {
        if let mode = options.journalMode {
            let result = try scalar("PRAGMA journal_mode=\(mode)")?.string ?? ""
            if result.lowercased() != mode.lowercased(), path != ":memory:" {
                throw SQLiteError(code: SQLITE_ERROR, message: "journal_mode is \(result), wanted \(mode)", sql: "PRAGMA journal_mode")
            }
        }
        if let sync = options.synchronous { try execute("PRAGMA synchronous=\(sync)") }
        if let kib = options.cacheSizeKiB { try execute("PRAGMA cache_size=-\(kib)") }
        if let limit = options.journalSizeLimitBytes, !options.readOnly { _ = try scalar("PRAGMA journal_size_limit=\(limit)") }
        for pragma in options.pragmas { try execute("PRAGMA \(pragma)") }
    }

    deinit { close() }

    /// Closes the connection, finalizing cached statements. Safe to call twice.
    public func close() {
        cache.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    func check(_ rc: Int32, sql: String?) throws {
        if rc != SQLITE_OK { throw SQLiteError.from(handle, code: rc, sql: sql) }
    }

    private func open() throws -> OpaquePointer {
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "connection to \(path) is closed") }
        return handle
    }

    /// Runs one or more statements without parameters or results (`;`-separated).
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(try open(), sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? SQLiteError.codeName(rc)
            sqlite3_free(message)
            throw SQLiteError(code: rc & 0xff, extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Runs one statement with parameters, to completion.
    public func execute(_ sql: String, _ values: [SQLValue]) throws {
        try cached(sql).run(values)
    }

    /// Prepares a statement owned by the caller.
    public func prepare(_ sql: String, persistent: Bool = false) throws -> Statement {
        _ = try open()
        return try Statement(connection: self, sql: sql, persistent: persistent)
    }

    /// The connection's cached statement for `sql`, prepared on first use and reset before it is
    /// returned. Do not use the same cached statement in two nested loops at once.
    public func cached(_ sql: String) throws -> Statement {
        if let statement = cache[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try prepare(sql, persistent: true)
        cache[sql] = statement
        return statement
    }

    /// The first column of the first row of `sql`, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        try cached(sql).scalar(values)
    }

    /// Runs `sql` and calls `row` for every result row.
    public func forEach(_ sql: String, _ values: [SQLValue] = [], _ row: (Statement) throws -> Void) throws {
        try cached(sql).forEach(values, row)
    }

    /// Rowid of the last insert on this connection.
    public var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Rows changed by the last statement.
    public var changes: Int { handle.map { Int(sqlite3_changes64($0)) } ?? 0 }

    /// Whether a transaction is open.
    public var inTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Whether the connection was opened read-only.
    public var isReadOnly: Bool { handle.map { sqlite3_db_readonly($0, "main") == 1 } ?? true }

    /// Percent-encodes the characters that would end or confuse a URI path.
    static func uriEscape(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0x80...:
                out += "%" + String(byte, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }
}
