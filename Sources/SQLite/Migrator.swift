/// One step of a component's schema history.
public struct Migration: Sendable {
    /// The version the schema has after this step; versions of a component start at 1 and count up by one.
    public let version: Int
    /// What the step does, for errors and logs.
    public let summary: String
    let apply: @Sendable (Connection) throws -> Void

    /// A step that runs SQL (several `;`-separated statements allowed).
    public init(_ version: Int, _ summary: String, sql: String) {
        self.version = version
        self.summary = summary
        self.apply = { try $0.execute(sql) }
    }

    /// A step that runs Swift code on the connection, for data conversions SQL cannot express.
    public init(_ version: Int, _ summary: String, apply: @escaping @Sendable (Connection) throws -> Void) {
        self.version = version
        self.summary = summary
        self.apply = apply
    }
}

/// Versioned migrations per component.
///
/// Each component (e.g. "tsdb", "alerts", "outbox", "silences") owns its tables and an ordered list
/// of steps; its current version lives in `schema_migrations(component, version)`. Components do not
/// see each other's steps, so stages can evolve their tables independently in one database file.
/// Each step runs in its own IMMEDIATE transaction together with the version update, so a crash
/// leaves the schema at a whole step.
public struct Migrator: Sendable {
    /// The component name, the key in `schema_migrations`.
    public let component: String
    /// The steps in version order.
    public let migrations: [Migration]

    /// Creates a migrator; the steps must be numbered 1, 2, 3, … (checked when migrating).
    public init(component: String, migrations: [Migration]) {
        self.component = component
        self.migrations = migrations
    }

    /// The version this code knows, the last step's.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The component's stored version (0 when never migrated).
    public func currentVersion(_ connection: Connection) throws -> Int {
        let exists = try connection.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") != nil
        guard exists else { return 0 }
        let value = try connection.scalar("SELECT version FROM schema_migrations WHERE component = ?", [.text(component)])
        return Int(value?.int64 ?? 0)
    }

    /// Applies the missing steps; returns the versions before and after. Throws when the database
    /// holds a newer version than this code knows (a downgrade), or when the steps are misnumbered.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> (from: Int, to: Int) {
        for (index, step) in migrations.enumerated() where step.version != index + 1 {
            throw SQLiteError(code: 1, message: "\(component): migration \(index + 1) is numbered \(step.version)")
        }
        try Migrator.createTable(connection)
        let from = try currentVersion(connection)
        if from > latestVersion {
            throw SQLiteError(code: 1, message: "\(component): database schema version \(from) is newer than this program's \(latestVersion); refusing to use it")
        }
        for step in migrations where step.version > from {
            try connection.withTransaction(.immediate) {
                // Re-read inside the write lock: another process may have migrated meanwhile.
                let now = try currentVersion(connection)
                guard now < step.version else { return }
                do {
                    try step.apply(connection)
                } catch let error as SQLiteError {
                    throw SQLiteError(code: error.code, extendedCode: error.extendedCode,
                                      message: "\(component) migration \(step.version) (\(step.summary)): \(error.message)", sql: error.sql)
                }
                try connection.execute(
                    "INSERT INTO schema_migrations(component, version) VALUES(?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    [.text(component), .integer(Int64(step.version))])
            }
        }
        return (from, max(from, latestVersion))
    }

    static func createTable(_ connection: Connection) throws {
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations(component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    }
}
