internal import CSQLite

extension Connection {
    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes no lock until the first read or write; for read-only snapshots.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a writer never fails half-way with SQLITE_BUSY.
        case immediate = "IMMEDIATE"
        /// Also keeps readers out (not needed in WAL mode).
        case exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws (and rethrows).
    /// Nested calls run inside the outer transaction through a savepoint.
    public func withTransaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if inTransaction { return try withSavepoint(body) }
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint, released on return and rolled back on throw.
    public func withSavepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT lk_sp")
        do {
            let result = try body()
            try execute("RELEASE lk_sp")
            return result
        } catch {
            try? execute("ROLLBACK TO lk_sp")
            try? execute("RELEASE lk_sp")
            throw error
        }
    }

    private func rollbackQuietly() {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); a second ROLLBACK then fails harmlessly.
        if inTransaction { try? execute("ROLLBACK") }
    }

    /// `PRAGMA integrity_check`: an empty array when the database is sound, else SQLite's findings.
    public func integrityCheck() throws -> [String] {
        var findings: [String] = []
        try forEach("PRAGMA integrity_check") { row in
            let line = row.string(at: 0)
            if line != "ok" { findings.append(line) }
        }
        return findings
    }

    /// Checkpoint modes of `wal_checkpoint`.
    public enum CheckpointMode: String, Sendable {
        /// Copies what it can without waiting.
        case passive = "PASSIVE"
        /// Waits for the writer, then copies everything.
        case full = "FULL"
        /// As full, and makes the next writer restart the WAL from its beginning.
        case restart = "RESTART"
        /// As restart, and truncates the WAL file to zero bytes.
        case truncate = "TRUNCATE"
    }

    /// Copies the WAL into the database file; TRUNCATE also empties the WAL file.
    public func checkpoint(_ mode: CheckpointMode = .passive) throws {
        try execute("PRAGMA wal_checkpoint(\(mode.rawValue))")
    }

    /// The integer value of a pragma, e.g. `page_count`, `freelist_count`, `user_version`.
    public func pragmaInt(_ name: String) throws -> Int64 {
        try scalar("PRAGMA \(name)")?.int64 ?? 0
    }
}
