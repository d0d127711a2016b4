import Testing
import Foundation
import Model
import SQLite
@testable import Storage

@Suite struct TSDBTests {
    let dir = TempDirectory()
    static let day: Int64 = 86_400_000

    func batch(_ t: Timestamp, series: Int, step: Int) -> [LabeledSample] {
        (0..<series).map { LabeledSample(ls("m", ["i": "\($0)"]), Sample(t, Double(step * ($0 + 1)))) }
    }

    @Test func retentionDeletesOldBlocksAndTheFileStopsGrowing() throws {
        var options = TSDB.Options()
        options.retention = 6 * 3_600_000
        let db = try TSDB.open(path: dir.file("r.db"), options: options)
        var sizes: [Int64] = []
        var step = 0
        for hour in 0..<30 {
            for _ in 0..<20 {   // one sample every 3 minutes
                try db.append(batch(Int64(step) * 180_000, series: 50, step: step))
                step += 1
            }
            let now = Int64(hour + 1) * 3_600_000
            try db.compact(now: now)
            try db.applyRetention(now: now)
            if hour % 6 == 5 {
                try db.writerCheckpoint()
                sizes.append(try db.stats().bytes)
            }
        }
        let kept = try db.select([m("i", .equal, "0")], in: 0...Int64.max).first!.samples
        // Retention keeps at least 6 h, and at most a merged chunk (4 blocks of 30 min) more.
        #expect(kept.first!.timestamp >= 30 * 3_600_000 - 6 * 3_600_000 - 4 * 1_800_000)
        #expect(kept.first!.timestamp <= 30 * 3_600_000 - 6 * 3_600_000)
        #expect(kept.last!.timestamp == Int64(step - 1) * 180_000)
        let stored = try db.storedSamples()
        #expect(try db.stats().samples == Int64(stored.chunks + stored.head))
        // After the first retention period the size is flat: freed pages are reused.
        #expect(sizes[2...].max()! <= sizes[1] * 11 / 10, "sizes \(sizes)")
    }

    @Test func freedSpaceIsReturnedWhenMostOfTheFileIsFree() throws {
        let db = try TSDB.open(path: dir.file("shrink.db"))
        for step in 0..<400 { try db.append(batch(Int64(step) * 15_000, series: 100, step: step)) }
        try db.compact(now: 10 * Self.day)
        try db.writerCheckpoint()
        let full = try db.stats().bytes
        try db.applyRetention(now: 40 * Self.day)   // everything is older than 30 days
        try db.writerCheckpoint()
        let after = try db.stats()
        #expect(try db.select([m("i", .equal, "1")], in: 0...Int64.max).isEmpty)
        #expect(after.bytes < full / 2, "file \(full) → \(after.bytes) B")
    }

    @Test func opensAnOlderSchemaAndMigratesIt() throws {
        let path = dir.file("old.db")
        do {   // what version 1 of the tsdb component wrote
            let c = try StorageDatabase.open(path: path)
            try Migrator(component: "tsdb", migrations: Array(Schema.migrations.prefix(1))).migrate(c)
            let labels = ls("up", ["job": "api"])
            let encoded = LabelCodec.encode(labels)
            try c.execute("INSERT INTO series(id, hash, labels) VALUES(1, ?, ?)", [.integer(LabelCodec.hash(encoded)), .blob(encoded)])
            let (bytes, _) = HeadCodec.encode(ids: [1], samples: [Sample(1000, 1)])
            try c.execute("INSERT INTO head(min_ts, max_ts, min_series, max_series, data) VALUES(1000, 1000, 1, 1, ?)", [.blob(bytes)])
            c.close()
        }
        let db = try TSDB.open(path: path)
        try db.append([LabeledSample(ls("up", ["job": "api"]), Sample(2000, 0))])
        #expect(try db.select([m("job", .equal, "api")], in: 0...5000).first?.samples == [Sample(1000, 1), Sample(2000, 0)])
        #expect(try db.stats().samples == 2)
        db.close()
        let c = try Connection(path: path)
        #expect(try Schema.migrator.currentVersion(c) == Schema.migrations.count)
        #expect(try c.scalar("SELECT count(*) FROM label_index WHERE series_id = 1") == .integer(2))
        #expect(try c.scalar("SELECT count(*) FROM series") == .integer(1))
    }

    @Test func diskFullKeepsSamplesInMemoryAndRecovers() throws {
        let lines = LogLines()
        var options = TSDB.Options()
        options.log = { lines.append($0) }
        options.maxPendingSamples = 2500
        let db = try TSDB.open(path: dir.file("full.db"), options: options)
        try db.append(batch(0, series: 1000, step: 0))
        try db.withWriterConnection { c in try c.execute("PRAGMA max_page_count=\(try c.pragmaInt("page_count"))") }
        for step in 1...3 { try db.append(batch(Int64(step) * 15_000, series: 1000, step: step)) }   // no throw
        var stats = try db.stats()
        #expect(stats.degraded)
        #expect(stats.lastError?.contains("full") == true)
        #expect(stats.heldSamples == 2000)
        #expect(stats.droppedSamples == 1000)
        #expect(lines.all.contains { $0.contains("keeping samples in memory") })
        // Held samples are visible to queries.
        #expect(try db.select([m("i", .equal, "5")], in: 0...100_000).first?.samples.map(\.timestamp) == [0, 30_000, 45_000])

        try db.withWriterConnection { c in try c.execute("PRAGMA max_page_count=1000000") }
        try db.append(batch(60_000, series: 1000, step: 4))
        stats = try db.stats()
        #expect(!stats.degraded && stats.heldSamples == 0)
        #expect(lines.all.contains { $0.contains("writing to") })
        #expect(try db.select([m("i", .equal, "5")], in: 0...100_000).first?.samples.map(\.timestamp) == [0, 30_000, 45_000, 60_000])
    }

    @Test func readOnlyOpenQueriesAndRefusesWrites() throws {
        let path = dir.file("ro.db")
        let writer = try TSDB.open(path: path)
        try writer.append(batch(1000, series: 3, step: 1))
        var options = TSDB.Options()
        options.readOnly = true
        let reader = try TSDB.open(path: path, options: options)
        #expect(try reader.select([m("__name__", .equal, "m")], in: 0...2000).count == 3)
        // A series the writer creates later is seen by the other process's next query.
        try writer.append([LabeledSample(ls("new"), Sample(1500, 1))])
        #expect(try reader.labelValues("__name__", matching: [], in: 0...2000) == ["m", "new"])
        #expect(throws: SQLiteError.self) { try reader.append(batch(2000, series: 1, step: 2)) }
    }

    @Test func corruptOrMissingFileIsAClearError() throws {
        let path = dir.file("junk.db")
        let junk = [UInt8](repeating: 0x41, count: 8192)
        let file = fopen(path, "w")!
        _ = junk.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        let error = #expect(throws: SQLiteError.self) { _ = try TSDB.open(path: path) }
        #expect(error?.isCorrupt == true)
        #expect(error?.description.contains("not a database") == true)

        var options = TSDB.Options()
        options.readOnly = true
        let missing = #expect(throws: SQLiteError.self) { _ = try TSDB.open(path: dir.file("none.db"), options: options) }
        #expect(missing?.description.contains("cannot open") == true)
    }

    @Test("a series list seen before maps its values to the right series, and a reordered copy too")
    func seriesListsAreRecognisedByIdentityNotByPosition() throws {
        let db = try TSDB.open(path: dir.file("lists.db"))
        let x = ls("x", ["job": "a"]), y = ls("y", ["job": "a"])
        let list = [x, y]
        try db.append(SeriesBatch(series: list, values: [Sample(1000, 1), Sample(1000, 2)],
                                  extra: [LabeledSample(ls("up", ["job": "a"]), Sample(1000, 1))]))
        try db.append(SeriesBatch(series: list, values: [Sample(2000, 3), Sample(2000, 4)]))
        try db.append(SeriesBatch(series: [y, x], values: [Sample(3000, 6), Sample(3000, 5)]))
        try db.append([LabeledSample(x, Sample(4000, 7))])
        func values(_ name: String) throws -> [Double] {
            try db.select([m("__name__", .equal, name)], in: 0...Int64.max).first?.samples.map(\.value) ?? []
        }
        #expect(try values("x") == [1, 3, 5, 7])
        #expect(try values("y") == [2, 4, 6])
        #expect(try values("up") == [1])
        #expect(try db.stats().samples == 8)
    }

    @Test func batchesOfManyTimestampsAndIdsSpanningHeadFilters() throws {
        let db = try TSDB.open(path: dir.file("multi.db"))
        var expected: [Sample] = []
        for round in 0..<10 {
            var batch: [LabeledSample] = []
            for k in 0..<5 {
                let t = Int64(round * 5 + k) * 1000
                batch.append(LabeledSample(ls("x"), Sample(t, Double(t))))
                expected.append(Sample(t, Double(t)))
                batch.append(LabeledSample(ls("y", ["r": "\(round)"]), Sample(t, 1)))
            }
            try db.append(batch)
        }
        #expect(try db.select([m("__name__", .equal, "x")], in: 0...100_000).first?.samples == expected)
        #expect(try db.select([m("r", .equal, "9")], in: 0...100_000).first?.samples.count == 5)
        try db.compact(now: 10_000_000)
        #expect(try db.select([m("__name__", .equal, "x")], in: 0...100_000).first?.samples == expected)
        let stored = try db.storedSamples()
        #expect(stored.chunks == 100 && stored.head == 0)
        #expect(try db.stats().samples == 100)
        try db.append([LabeledSample(ls("x"), Sample(0, -1)), LabeledSample(ls("x"), Sample(1_000_000, 1))])   // one replaces, one adds
        try db.compact(now: 10_000_000)
        #expect(try db.stats().samples == 101)
        #expect(try db.storedSamples().chunks == 101)
        #expect(try db.stats().series == 11)
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = Lock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
