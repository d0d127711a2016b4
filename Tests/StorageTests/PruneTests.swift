import Testing
import Foundation
import Model
import SQLite
@testable import Storage

/// Series that retention leaves without samples are deleted, their ids never reused.
@Suite struct PruneTests {
    let dir = TempDirectory()
    static let hour: Int64 = 3_600_000

    /// 6 h retention, so 12 h of data is enough to see whole groups go.
    func open(_ name: String) throws -> TSDB {
        var options = TSDB.Options()
        options.retention = 6 * Self.hour
        return try TSDB.open(path: dir.file(name), options: options)
    }

    /// A `version` label that changes every 30 minutes for the first 2 h (per-deploy churn), and
    /// `stable` series every 3 minutes for 12 h.
    func churn(_ db: TSDB, versions: Int = 4, pods: Int = 50) throws {
        for step in 0..<240 {
            let t = Int64(step) * 180_000
            var batch = (0..<10).map { LabeledSample(ls("stable", ["i": "\($0)"]), Sample(t, Double(step))) }
            let version = Int(t / (Self.hour / 2))
            if version < versions {
                batch += (0..<pods).map { LabeledSample(ls("app_info", ["version": "v\(version)", "pod": "p\($0)"]), Sample(t, 1)) }
            }
            try db.append(batch)
        }
    }

    func count(_ path: String, _ sql: String) throws -> Int64 {
        let c = try Connection(path: path)
        defer { c.close() }
        return try c.scalar(sql)?.int64 ?? -1
    }

    @Test func churnedSeriesGoWithTheirLabelIndexRows() throws {
        let db = try open("churn.db")
        try churn(db)
        #expect(try db.stats().series == 210)
        let before = try db.select([m("__name__", .equal, "stable")], in: 0...Int64.max)
        db.housekeepingRound(now: 12 * Self.hour)
        #expect(try db.stats().prunedSeries == 200)
        #expect(try db.stats().series == 10)
        let path = dir.file("churn.db")
        #expect(try count(path, "SELECT count(*) FROM series") == 10)
        #expect(try count(path, "SELECT count(*) FROM label_index WHERE name = 'version'") == 0)
        #expect(try count(path, "SELECT count(*) FROM label_index WHERE series_id NOT IN (SELECT id FROM series)") == 0)
        #expect(try count(path, "SELECT count(*) FROM series_last_chunk WHERE id NOT IN (SELECT id FROM series)") == 0)
        // The in-memory index forgot them too: no matcher finds them, no label lists them.
        #expect(db.index.withLock { $0.match([m("version", .regexMatch, ".+")]) }.isEmpty)
        #expect(!(try db.labelNames(matching: [], in: Timestamp.min...Timestamp.max).contains("version")))
        #expect(try db.labelValues("__name__", matching: [], in: Timestamp.min...Timestamp.max) == ["stable"])
        // Other series keep what retention keeps.
        let after = try db.select([m("__name__", .equal, "stable")], in: 0...Int64.max)
        #expect(after.map(\.labels) == before.map(\.labels))
        for (old, new) in zip(before, after) {
            #expect(new.samples == old.samples.filter { $0.timestamp >= new.samples.first!.timestamp })
            #expect(new.samples.last == old.samples.last)
        }
        // A second pass finds nothing more.
        #expect(try db.pruneSeries() == 0)
    }

    @Test func aPrunedLabelSetComesBackWithANewIDAndIsQueryable() throws {
        let db = try open("back.db")
        // The same `Labels` instances and the same series list every time, as a scrape loop hands them.
        let list = (0..<5).map { ls("job_info", ["pod": "p\($0)"]) }
        let stable = ls("stable")
        for step in 0..<20 {
            try db.append(SeriesBatch(series: list, values: list.map { _ in Sample(Int64(step) * 60_000, 1) }))
            try db.append(SeriesBatch(series: [stable], values: [Sample(Int64(step) * 60_000, 1)], extra: [LabeledSample(list[0], Sample(Int64(step) * 60_000 + 1, 2))]))
        }
        for step in 20..<240 { try db.append([LabeledSample(stable, Sample(Int64(step) * 180_000, 1))]) }
        let oldIDs = Set(db.index.withLock { $0.match([m("__name__", .equal, "job_info")]) })
        #expect(oldIDs.count == 5)
        db.housekeepingRound(now: 12 * Self.hour)
        #expect(try db.stats().prunedSeries == 5)
        #expect(db.index.withLock { $0.match([m("__name__", .equal, "job_info")]) }.isEmpty)

        let t = 12 * Self.hour
        try db.append(SeriesBatch(series: list, values: list.map { _ in Sample(t, 7) }))
        try db.append(SeriesBatch(series: [stable], values: [Sample(t, 1)], extra: [LabeledSample(list[0], Sample(t + 1, 8))]))
        let newIDs = Set(db.index.withLock { $0.match([m("__name__", .equal, "job_info")]) })
        #expect(newIDs.count == 5)
        #expect(newIDs.min()! > oldIDs.max()!)
        let back = try db.select([m("__name__", .equal, "job_info")], in: t...t + 1)
        #expect(back.map(\.labels) == list.sorted())
        #expect(back.first { $0.labels == list[0] }?.samples == [Sample(t, 7), Sample(t + 1, 8)])
        let path = dir.file("back.db")
        #expect(try count(path, "SELECT count(*) FROM series") == 6)
        #expect(try count(path, "SELECT count(*) FROM label_index WHERE name = 'pod'") == 5)
    }

    @Test func idsAreNotReusedAfterARestart() throws {
        let path = dir.file("ids.db")
        do {
            let db = try open("ids.db")
            try db.append([LabeledSample(ls("a"), Sample(0, 1))])
            try db.append([LabeledSample(ls("b"), Sample(0, 1))])   // the highest id, pruned below
            try db.append([LabeledSample(ls("a"), Sample(12 * Self.hour, 1))])
            db.housekeepingRound(now: 12 * Self.hour)
            #expect(try db.stats().prunedSeries == 1)
            db.close()
        }
        #expect(try count(path, "SELECT max(id) FROM series") == 1)
        let db = try open("ids.db")
        try db.append([LabeledSample(ls("c"), Sample(12 * Self.hour, 1))])
        try db.append([LabeledSample(ls("b"), Sample(12 * Self.hour, 2))])
        #expect(try count(path, "SELECT id FROM series WHERE id > 1 ORDER BY id LIMIT 1") == 3)
        #expect(try count(path, "SELECT max(id) FROM series") == 4)
        #expect(try db.select([m("__name__", .equal, "b")], in: 0...Int64.max).first?.samples == [Sample(12 * Self.hour, 2)])
    }

    @Test func aSeriesWithARecentSampleInTheHeadIsKept() throws {
        let db = try open("head.db")
        try churn(db, versions: 1, pods: 3)
        // One old series gets a sample in the current (not yet compacted) block: only the head holds it.
        let t = 12 * Self.hour + 1000
        try db.append([LabeledSample(ls("app_info", ["version": "v0", "pod": "p1"]), Sample(t, 5))])
        // And one series lives only in the head.
        try db.append([LabeledSample(ls("fresh"), Sample(t, 1))])
        db.housekeepingRound(now: t + 60_000)
        #expect(try db.stats().prunedSeries == 2)
        #expect(try db.stats().headRows == 2)
        let kept = try db.select([m("version", .equal, "v0")], in: 0...Int64.max)
        #expect(kept.map { $0.labels["pod"] } == ["p1"])
        #expect(kept.first?.samples == [Sample(t, 5)])
        #expect(try db.select([m("__name__", .equal, "fresh")], in: 0...Int64.max).count == 1)
    }

    @Test func aSeriesAppendedAfterThePlanIsNotDeleted() throws {
        let db = try open("race.db")
        try churn(db, versions: 2, pods: 3)
        try db.compact(now: 12 * Self.hour)
        try db.applyRetention(now: 12 * Self.hour)   // prunes what the churn left
        #expect(try db.stats().prunedSeries == 6)
        // Now plan a prune of series that have no sample, then append to one before the deletion.
        try db.append([LabeledSample(ls("gone", ["k": "1"]), Sample(Self.hour, 1)), LabeledSample(ls("gone", ["k": "2"]), Sample(Self.hour, 1))])
        try db.compact(now: 12 * Self.hour)
        try db.withWriterConnection { c in   // retention without the prune that follows it
            try c.execute("DELETE FROM chunks WHERE key < ?", [.integer(Schema.chunkKey(block: 4, series: 0))])
            try ChunkCache.noteWrite(c)
        }
        var plan = try #require(try db.planPrune())
        #expect(plan.candidates.count == 2)
        try db.append([LabeledSample(ls("gone", ["k": "1"]), Sample(12 * Self.hour, 3))])
        #expect(try db.executePrune(&plan, db.writer!) == 1)
        let left = try db.select([m("__name__", .equal, "gone")], in: 0...Int64.max)
        #expect(left.map { $0.labels["k"] } == ["1"])
        #expect(left.first?.samples == [Sample(12 * Self.hour, 3)])
        #expect(try count(dir.file("race.db"), "SELECT count(*) FROM label_index WHERE name = 'k'") == 1)
    }

    @Test func aReadOnlyReaderForgetsSeriesPrunedByTheWriter() throws {
        let writer = try open("ro.db")
        try churn(writer, versions: 2, pods: 5)
        var options = TSDB.Options()
        options.readOnly = true
        let reader = try TSDB.open(path: dir.file("ro.db"), options: options)
        #expect(try reader.stats().series == 20)
        writer.housekeepingRound(now: 12 * Self.hour)
        _ = try reader.select([m("__name__", .equal, "stable")], in: 0...Int64.max)   // refreshes the index
        #expect(try reader.stats().series == 10)
        try writer.append([LabeledSample(ls("app_info", ["version": "v0", "pod": "p0"]), Sample(12 * Self.hour, 1))])
        #expect(try reader.select([m("version", .equal, "v0")], in: 0...Int64.max).first?.samples == [Sample(12 * Self.hour, 1)])
        #expect(try reader.stats().series == 11)
    }

    @Test func migrationRecordsEachSeriesHighestChunkBlock() throws {
        let path = dir.file("migrate.db")
        do {
            let db = try open("migrate.db")
            try churn(db, versions: 2, pods: 2)
            try db.compact(now: 12 * Self.hour)
            db.close()
        }
        // The highest chunk key block of each series (block compaction recorded the unmerged blocks, higher).
        let expected = try count(path, "SELECT sum(b) FROM (SELECT max(key >> 32) AS b FROM chunks GROUP BY key & 4294967295)")
        #expect(try count(path, "SELECT sum(block) FROM series_last_chunk") > expected)
        do {   // an older file: no series_last_chunk table yet
            let c = try Connection(path: path)
            try c.execute("DROP TABLE series_last_chunk")
            try c.execute("DELETE FROM tsdb_settings WHERE name = 'series_high_water'")
            try c.execute("UPDATE schema_migrations SET version = 4 WHERE component = 'tsdb'")
            c.close()
        }
        let db = try open("migrate.db")
        #expect(try count(path, "SELECT value FROM tsdb_settings WHERE name = 'series_high_water'") == 14)
        // Opening stays cheap: the first prune fills the table.
        #expect(try count(path, "SELECT count(*) FROM series_last_chunk") == 0)
        #expect(try db.pruneSeries() == 0)   // every series still has its chunks
        #expect(try count(path, "SELECT sum(block) FROM series_last_chunk") == expected)
        #expect(try count(path, "SELECT count(*) FROM tsdb_settings WHERE name = 'series_last_chunk_pending'") == 0)
        db.housekeepingRound(now: 12 * Self.hour)
        #expect(try db.stats().prunedSeries == 4)
    }
}
