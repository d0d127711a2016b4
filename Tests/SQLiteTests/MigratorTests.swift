import Testing
@testable import SQLite

@Suite struct MigratorTests {
    let dir = TempDirectory()

    static let alertsV1 = Migration(1, "alert state", sql: "CREATE TABLE alerts(id INTEGER PRIMARY KEY, state TEXT)")
    static let alertsV2 = Migration(2, "add fired_at", sql: "ALTER TABLE alerts ADD COLUMN fired_at INTEGER")
    static let outboxV1 = Migration(1, "outbox", sql: "CREATE TABLE outbox(id INTEGER PRIMARY KEY, body BLOB)")

    @Test func componentsMigrateIndependently() throws {
        let db = try Connection(path: dir.file("m.db"))
        let alerts = Migrator(component: "alerts", migrations: [Self.alertsV1])
        let outbox = Migrator(component: "outbox", migrations: [Self.outboxV1])
        #expect(try alerts.migrate(db) == (0, 1))
        #expect(try outbox.migrate(db) == (0, 1))
        #expect(try alerts.migrate(db) == (1, 1))

        // A later release adds a step to one component only.
        let alerts2 = Migrator(component: "alerts", migrations: [Self.alertsV1, Self.alertsV2])
        #expect(try alerts2.migrate(db) == (1, 2))
        try db.execute("INSERT INTO alerts(state, fired_at) VALUES('firing', 5)")
        #expect(try outbox.currentVersion(db) == 1)
        var rows: [String] = []
        try db.forEach("SELECT component || '=' || version FROM schema_migrations ORDER BY component") { rows.append($0.string(at: 0)) }
        #expect(rows == ["alerts=2", "outbox=1"])
    }

    @Test func failingStepRollsBackAndKeepsVersion() throws {
        let db = try Connection(path: dir.file("f.db"))
        let bad = Migration(2, "broken", sql: "CREATE TABLE x(a); INSERT INTO nowhere VALUES(1)")
        let migrator = Migrator(component: "alerts", migrations: [Self.alertsV1, bad])
        let error = #expect(throws: SQLiteError.self) { try migrator.migrate(db) }
        #expect(error?.message.contains("alerts migration 2 (broken)") == true)
        #expect(try migrator.currentVersion(db) == 1)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'x'") == .integer(0))
    }

    @Test func refusesNewerSchemaAndMisnumberedSteps() throws {
        let db = try Connection(path: dir.file("n.db"))
        try Migrator(component: "alerts", migrations: [Self.alertsV1, Self.alertsV2]).migrate(db)
        let old = Migrator(component: "alerts", migrations: [Self.alertsV1])
        let error = #expect(throws: SQLiteError.self) { try old.migrate(db) }
        #expect(error?.message.contains("newer than this program's 1") == true)

        let gap = Migrator(component: "outbox", migrations: [Self.outboxV1, Self.alertsV1])
        #expect(throws: SQLiteError.self) { try gap.migrate(db) }
    }

    @Test func swiftStepsAndReadOnlyVersionCheck() throws {
        let path = dir.file("s.db")
        let db = try Connection(path: path)
        let fill = Migration(1, "seed") { connection in
            try connection.execute("CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER)")
            for i in 0..<3 { try connection.execute("INSERT INTO kv VALUES(?, ?)", [.text("k\(i)"), .integer(Int64(i))]) }
        }
        let migrator = Migrator(component: "kv", migrations: [fill])
        try migrator.migrate(db)
        let reader = try Connection(path: path, options: .readOnly)
        #expect(try migrator.currentVersion(reader) == 1)
        #expect(try Migrator(component: "other", migrations: []).currentVersion(reader) == 0)
        #expect(try reader.scalar("SELECT sum(v) FROM kv") == .integer(3))
    }
}
