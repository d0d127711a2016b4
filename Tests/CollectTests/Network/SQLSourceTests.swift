@testable import Collect
import Model
import SQLite
import Testing
import TestSupport

@Suite("SQL sources read an application's database read-only")
struct SQLSourceTests {
    let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("app.db")
        let db = try Connection(path: path)
        try db.execute("""
            CREATE TABLE api_calls_log(model TEXT, cost_usd REAL, timestamp TEXT);
            INSERT INTO api_calls_log VALUES ('gpt', 1.5, '2026-01-01'), ('gpt', 2.0, '2026-01-01'), ('claude', 4.25, '2026-01-01');
            """)
        db.close()
    }

    func collect(_ query: String, database: String? = nil) -> (batch: [LabeledSample], error: String?) {
        SQLSource(spec: SQLSourceSpec(name: "api_calls_cost", database: database ?? path, query: query)).collect(at: 9_000)
    }

    func up(_ batch: [LabeledSample]) -> Double? {
        batch.first { $0.labels[Labels.metricName] == "sql_up" && $0.labels["source"] == "api_calls_cost" }?.sample.value
    }

    @Test func rowsBecomeSamplesWithColumnsAsLabels() {
        let (batch, error) = collect("SELECT model, SUM(cost_usd) AS value FROM api_calls_log GROUP BY model")
        #expect(error == nil)
        #expect(up(batch) == 1)
        let costs = batch.filter { $0.labels[Labels.metricName] == "api_calls_cost" }
            .reduce(into: [String: Double]()) { $0[$1.labels["model"] ?? ""] = $1.sample.value }
        #expect(costs == ["gpt": 3.5, "claude": 4.25])
        #expect(batch.allSatisfy { $0.sample.timestamp == 9_000 })
    }

    @Test func missingFileIsDownAndNotCreated() {
        let missing = directory.file("absent.db")
        let (batch, error) = collect("SELECT 1 AS value", database: missing)
        #expect(up(batch) == 0)
        #expect(error != nil)
        #expect(HostMetrics.readFile(missing) == nil)
    }

    @Test(arguments: [
        "SELECT nonsense FROM nowhere",
        "SELECT model FROM api_calls_log",
        "SELECT 'a' AS k, 1 AS value UNION ALL SELECT 'a', 2",
        "DELETE FROM api_calls_log",
    ])
    func badQueriesAreDown(query: String) throws {
        let (batch, error) = collect(query)
        #expect(up(batch) == 0)
        #expect(error != nil)
        #expect(batch.count == 1)
        let rows = try Connection(path: path, options: .readOnly).scalar("SELECT COUNT(*) FROM api_calls_log")
        #expect(rows == .integer(3))
    }

    @Test func numericTextIsReadAndNullIsNoSample() {
        let (batch, error) = collect("SELECT 'num' AS k, '12.5' AS value UNION ALL SELECT 'int', 3 UNION ALL SELECT 'none', NULL")
        #expect(error == nil)
        #expect(up(batch) == 1)
        let values = batch.filter { $0.labels[Labels.metricName] == "api_calls_cost" }
            .reduce(into: [String: Double]()) { $0[$1.labels["k"] ?? ""] = $1.sample.value }
        #expect(values == ["num": 12.5, "int": 3])
    }

    @Test(arguments: ["SELECT 'abc' AS value", "SELECT x'01' AS value", "SELECT 'a' AS k, 1 AS value UNION ALL SELECT 'b', 'n/a'"])
    func nonNumericValueIsDownNotZero(query: String) {
        let (batch, error) = collect(query)
        #expect(up(batch) == 0)
        #expect(error?.contains("not a number") == true)
        #expect(batch.count == 1)
    }

    @Test func aFailureIsLoggedOnceAndItsRecoveryOnce() async throws {
        let (logger, logs) = RecordingLogHandler.logger()
        let missing = directory.file("later.db")
        let job = SQLJob(spec: SQLSourceSpec(name: "later", database: missing, query: "SELECT 1 AS value"),
                         appender: MemorySeriesStore(), logger: logger)
        for round in 1...3 { await job.runOnce(at: Int64(round) * 1_000) }
        #expect(logs.all.filter { $0.contains("sql source failed") }.count == 1)
        try Connection(path: missing).close()
        for round in 4...5 { await job.runOnce(at: Int64(round) * 1_000) }
        #expect(logs.all.filter { $0.contains("sql source recovered") }.count == 1)
        #expect(logs.all.filter { $0.contains("sql source failed") }.count == 1)
    }

    @Test func vanishedRowsAndFailuresGoStale() async throws {
        let store = MemorySeriesStore()
        let spec = SQLSourceSpec(name: "cost", database: path,
                                 query: "SELECT model, SUM(cost_usd) AS value FROM api_calls_log GROUP BY model")
        let job = SQLJob(spec: spec, appender: store, logger: CollectFixtures.logger)
        await job.runOnce(at: 1_000)
        let writer = try Connection(path: path)
        try writer.execute("DELETE FROM api_calls_log WHERE model = 'claude'")
        await job.runOnce(at: 2_000)
        #expect(try store.latest("cost", ["model": "claude"])?.bitPattern == StaleMarker.bitPattern)
        #expect(try store.latest("cost", ["model": "gpt"]) == 3.5)
        try writer.execute("DROP TABLE api_calls_log")
        await job.runOnce(at: 3_000)
        #expect(try store.latest("cost", ["model": "gpt"])?.bitPattern == StaleMarker.bitPattern)
        #expect(try store.latest("sql_up") == 0)
    }

    @Test func lockedDatabaseIsDownAfterShortWait() throws {
        var options = Connection.Options()
        options.journalMode = "DELETE"
        let writer = try Connection(path: path, options: options)
        try writer.execute("BEGIN EXCLUSIVE; INSERT INTO api_calls_log VALUES ('x', 1, 'y')")
        let clock = ContinuousClock()
        let start = clock.now
        let (batch, error) = collect("SELECT SUM(cost_usd) AS value FROM api_calls_log")
        #expect(up(batch) == 0)
        #expect(error?.contains("locked") == true)
        #expect(clock.now - start < .seconds(3))
        try writer.execute("ROLLBACK")
    }
}
