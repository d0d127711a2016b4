internal import CSQLite

/// A prepared statement. Parameters are 1-based, columns 0-based, as in SQLite.
///
/// A statement belongs to the connection that prepared it and must be used from the same
/// thread of control as that connection. Errors carry the statement's SQL.
public final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection
    /// The SQL text, for error messages.
    public let sql: String

    init(connection: Connection, sql: String, persistent: Bool) throws {
        var stmt: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            if let stmt { sqlite3_finalize(stmt) }
            throw SQLiteError.from(connection.handle, code: rc, sql: sql)
        }
        self.handle = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw SQLiteError.from(connection.handle, code: rc, sql: sql) }
    }

    // MARK: binding

    /// Binds an integer to parameter `index` (1-based).
    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds a double to parameter `index`.
    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds text to parameter `index` (copied by SQLite).
    public func bind(_ value: String, at index: Int32) throws {
        try check(sqlite3_bind_text(handle, index, value, -1, lk_sqlite_transient()))
    }

    /// Binds a blob to parameter `index` (copied by SQLite). An empty buffer binds a zero-length blob.
    public func bind(blob: UnsafeRawBufferPointer, at index: Int32) throws {
        if let base = blob.baseAddress {
            try check(sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(blob.count), lk_sqlite_transient()))
        } else {
            try check(sqlite3_bind_zeroblob(handle, index, 0))
        }
    }

    /// Binds a blob to parameter `index` (copied by SQLite).
    public func bind(blob: [UInt8], at index: Int32) throws {
        try blob.withUnsafeBytes { try bind(blob: $0, at: index) }
    }

    /// Binds NULL to parameter `index`.
    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds any value to parameter `index`.
    public func bind(_ value: SQLValue, at index: Int32) throws {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let v): try bind(v, at: index)
        case .real(let v): try bind(v, at: index)
        case .text(let v): try bind(v, at: index)
        case .blob(let v): try bind(blob: v, at: index)
        }
    }

    /// Binds `values` to parameters 1…n; throws when the count differs from the statement's.
    public func bind(_ values: [SQLValue]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement takes \(expected) parameters, \(values.count) given", sql: sql)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
    }

    // MARK: stepping

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError.from(connection.handle, code: rc, sql: sql)
        }
    }

    /// Resets the statement so it can run again; bindings are kept.
    public func reset() {
        // The error of a failed step is reported by step itself; reset repeats it, so it is ignored here.
        sqlite3_reset(handle)
    }

    /// Clears all bindings to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    /// Binds `values`, runs the statement to completion and resets it.
    public func run(_ values: [SQLValue] = []) throws {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// Binds `values`, and calls `row` for every result row; resets the statement afterwards.
    public func forEach(_ values: [SQLValue] = [], _ row: (Statement) throws -> Void) throws {
        defer { reset() }
        try bind(values)
        while try step() { try row(self) }
    }

    /// Binds `values` and returns the first column of the first row, or nil when there is no row.
    public func scalar(_ values: [SQLValue] = []) throws -> SQLValue? {
        defer { reset() }
        try bind(values)
        return try step() ? value(at: 0) : nil
    }

    // MARK: columns

    /// Number of result columns.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Name of column `index`.
    public func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
    }

    /// Whether column `index` of the current row is NULL.
    public func isNull(at index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` as an integer (NULL reads as 0).
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as a double (NULL reads as 0).
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// Column `index` as text (NULL reads as "").
    public func string(at index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Column `index` as bytes (NULL reads as empty).
    public func blob(at index: Int32) -> [UInt8] {
        withBlob(at: index) { Array($0.bindMemory(to: UInt8.self)) }
    }

    /// Calls `body` with the bytes of column `index` without copying; the buffer is valid only inside `body`.
    public func withBlob<T>(at index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// Column `index` as a typed value.
    public func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(int64(at: index))
        case SQLITE_FLOAT: return .real(double(at: index))
        case SQLITE_TEXT: return .text(string(at: index))
        case SQLITE_BLOB: return .blob(blob(at: index))
        default: return .null
        }
    }
}
