internal import CSQLite

/// A failed SQLite call: the result code, SQLite's own message and the SQL that was running.
public struct SQLiteError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The primary result code (`SQLITE_BUSY` = 5, `SQLITE_FULL` = 13, `SQLITE_READONLY` = 8, …).
    public let code: Int32
    /// The extended result code, which says more (`SQLITE_IOERR_WRITE`, `SQLITE_CONSTRAINT_PRIMARYKEY`, …).
    public let extendedCode: Int32
    /// `sqlite3_errmsg` at the time of the failure, or a message of our own for misuse.
    public let message: String
    /// The statement that failed, if any.
    public let sql: String?

    /// Creates an error; used by the wrapper and by code that validates its own preconditions.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// One line: code, name, message and the (shortened) SQL.
    public var description: String {
        var out = "SQLite error \(extendedCode) (\(Self.codeName(code))): \(message)"
        if let sql { out += " — in: \(sql.count > 300 ? String(sql.prefix(300)) + "…" : sql)" }
        return out
    }

    /// The disk or file system is full.
    public var isDiskFull: Bool { code == SQLITE_FULL }
    /// The database or its directory cannot be written.
    public var isReadOnly: Bool { code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM }
    /// The file is not a database or is damaged.
    public var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }
    /// Another connection holds a lock past the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    static func codeName(_ code: Int32) -> String {
        String(cString: sqlite3_errstr(code))
    }

    /// Builds an error from a connection's current error state.
    static func from(_ db: OpaquePointer?, code: Int32, sql: String?) -> SQLiteError {
        guard let db else { return SQLiteError(code: code & 0xff, extendedCode: code, message: codeName(code), sql: sql) }
        let extended = sqlite3_extended_errcode(db)
        let message = String(cString: sqlite3_errmsg(db))
        return SQLiteError(code: code & 0xff, extendedCode: extended == 0 ? code : extended, message: message, sql: sql)
    }
}
