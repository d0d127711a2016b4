import Testing
@testable import SQLite

@Suite struct ConnectionTests {
    let dir = TempDirectory()

    @Test func bindsAndReadsEveryType() throws {
        let db = try Connection(path: dir.file("t.db"))
        try db.execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let insert = try db.prepare("INSERT INTO t VALUES(?, ?, ?, ?, ?)")
        try insert.bind(Int64.min, at: 1)
        try insert.bind(-0.5, at: 2)
        try insert.bind("Grüße \"x\"", at: 3)
        try insert.bind(blob: [0, 1, 255], at: 4)
        try insert.bindNull(at: 5)
        #expect(try insert.step() == false)
        insert.reset()
        try insert.run([.integer(Int64.max), .real(1e300), .text(""), .blob([]), .integer(7)])

        var rows: [[SQLValue]] = []
        try db.forEach("SELECT i, r, s, b, n FROM t ORDER BY i") { row in
            rows.append((0..<row.columnCount).map { row.value(at: $0) })
        }
        #expect(rows.count == 2)
        #expect(rows[0] == [.integer(Int64.min), .real(-0.5), .text("Grüße \"x\""), .blob([0, 1, 255]), .null])
        #expect(rows[1][0] == .integer(Int64.max))
        #expect(rows[1][1] == .real(1e300))
        #expect(rows[1][2] == .text(""))
        #expect(rows[1][4] == .integer(7))
    }

    @Test func errorsCarryCodeMessageAndSQL() throws {
        let db = try Connection(path: dir.file("e.db"))
        let bad = #expect(throws: SQLiteError.self) { try db.execute("SELEKT 1") }
        #expect(bad?.code == 1)
        #expect(bad?.message.contains("syntax error") == true)
        #expect(bad?.sql == "SELEKT 1")

        try db.execute("CREATE TABLE u(k TEXT PRIMARY KEY)")
        try db.execute("INSERT INTO u VALUES(?)", ["a"])
        let dup = #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO u VALUES(?)", ["a"]) }
        #expect(dup?.code == 19)             // SQLITE_CONSTRAINT
        #expect(dup?.extendedCode == 1555)   // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(dup?.description.contains("UNIQUE constraint failed: u.k") == true)

        let prepare = #expect(throws: SQLiteError.self) { _ = try db.prepare("SELECT * FROM missing") }
        #expect(prepare?.message.contains("no such table: missing") == true)
        let count = #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO u VALUES(?)", []) }
        #expect(count?.message.contains("takes 1 parameters, 0 given") == true)
    }

    @Test func transactionCommitsOrRollsBack() throws {
        let db = try Connection(path: dir.file("tx.db"))
        try db.execute("CREATE TABLE t(v INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.withTransaction {
                try db.execute("INSERT INTO t VALUES(1)")
                throw Boom()
            }
        }
        #expect(!db.inTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))

        let n = try db.withTransaction { () throws -> Int in
            try db.execute("INSERT INTO t VALUES(2)")
            // A nested failure rolls back only the inner part.
            try? db.withTransaction {
                try db.execute("INSERT INTO t VALUES(3)")
                throw Boom()
            }
            return db.changes
        }
        #expect(n >= 0)
        #expect(try db.scalar("SELECT group_concat(v) FROM t") == .text("2"))
    }

    @Test func readOnlyConnectionReadsAndRefusesWrites() throws {
        let path = dir.file("ro db?#.db")
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t(v); INSERT INTO t VALUES(42)")
        let reader = try Connection(path: path, options: .readOnly)
        #expect(reader.isReadOnly)
        #expect(try reader.scalar("SELECT v FROM t") == .integer(42))
        let error = #expect(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES(1)") }
        #expect(error?.isReadOnly == true)

        let missing = #expect(throws: SQLiteError.self) { _ = try Connection(path: dir.file("nope.db"), options: .readOnly) }
        #expect(missing?.message.contains("cannot open") == true)
    }

    @Test func walReaderSeesCommittedSnapshotWhileWriterWrites() throws {
        let path = dir.file("wal.db")
        let writer = try Connection(path: path)
        #expect(try writer.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try writer.pragmaInt("synchronous") == 1)
        try writer.execute("CREATE TABLE t(v); INSERT INTO t VALUES(1)")
        let reader = try Connection(path: path, options: .readOnly)
        try writer.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES(2)")
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(1))
        try writer.execute("COMMIT")
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(2))
        try writer.checkpoint(.truncate)
        #expect(try writer.integrityCheck().isEmpty)
    }

    @Test func cachedStatementsAreReusedAndReset() throws {
        let db = try Connection(path: ":memory:")
        let a = try db.cached("SELECT ?")
        #expect(try a.scalar([5]) == .integer(5))
        let b = try db.cached("SELECT ?")
        #expect(a === b)
        #expect(try b.scalar(["x"]) == .text("x"))
        db.close()
        #expect(throws: SQLiteError.self) { try db.execute("SELECT 1") }
    }

    @Test func blobIsReadWithoutCopy() throws {
        let db = try Connection(path: ":memory:")
        let bytes: [UInt8] = (0..<1000).map { UInt8($0 % 251) }
        try db.execute("CREATE TABLE b(x BLOB)")
        try db.execute("INSERT INTO b VALUES(?)", [.blob(bytes)])
        var sum = 0
        try db.forEach("SELECT x FROM b") { row in
            row.withBlob(at: 0) { sum = $0.reduce(0) { $0 + Int($1) } }
        }
        #expect(sum == bytes.reduce(0) { $0 + Int($1) })
    }
}

@Suite struct SharedConnectionTests {
    @Test func tasksShareOneConnection() async throws {
        let dir = TempDirectory()
        let shared = SharedConnection(try Connection(path: dir.file("s.db")))
        try shared.withConnection { try $0.execute("CREATE TABLE n(v INTEGER)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for i in 0..<50 {
                        try shared.withConnection { db in
                            try db.withTransaction { try db.execute("INSERT INTO n VALUES(?)", [.integer(Int64(t * 100 + i))]) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try shared.withConnection { try $0.scalar("SELECT count(*) FROM n") } == .integer(200))
    }
}
