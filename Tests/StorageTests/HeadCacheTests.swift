import Testing
import Model
@testable import Storage

/// The head and chunk caches must answer exactly as decoding the head rows would, across compaction,
/// emptied heads whose row ids are reused, out-of-order writes and other processes' writes.
@Suite struct HeadCacheTests {
    let dir = TempDirectory()
    let x = [m("__name__", .equal, "x")]

    func write(_ db: TSDB, _ times: [Timestamp], value: (Timestamp) -> Double) throws {
        for t in times { try db.append([LabeledSample(ls("x"), Sample(t, value(t))), LabeledSample(ls("y"), Sample(t, 1))]) }
    }

    @Test func emptiedHeadWithReusedRowIdsIsDecodedAfresh() throws {
        let db = try TSDB.open(path: dir.file("reuse.db"))
        try write(db, [1000, 2000, 3000]) { Double($0) }
        #expect(try db.select(x, in: 0...10_000).first?.samples.count == 3)   // fills the cache
        try db.compact(now: 100_000_000)
        #expect(try db.storedSamples().head == 0)
        // New head rows get the ids 1... again, with other timestamps and values.
        try write(db, [99_000_000, 99_001_000]) { -Double($0) }
        let expected = [Sample(1000, 1000), Sample(2000, 2000), Sample(3000, 3000), Sample(99_000_000, -99_000_000), Sample(99_001_000, -99_001_000)]
        #expect(try db.select(x, in: 0...100_000_000).first?.samples == expected)
    }

    @Test func outOfOrderWritesComeBackSortedWithTheLastWriteWinning() throws {
        let db = try TSDB.open(path: dir.file("order.db"))
        try write(db, [5000, 3000]) { Double($0) }
        #expect(try db.select(x, in: 0...10_000).first?.samples == [Sample(3000, 3000), Sample(5000, 5000)])
        try write(db, [3000]) { _ in 7 }
        #expect(try db.select(x, in: 0...4000).first?.samples == [Sample(3000, 7)])
    }

    @Test func aReaderProcessSeesAnotherWritersCompactionAndAppends() throws {
        let path = dir.file("shared.db")
        let writer = try TSDB.open(path: path)
        try write(writer, (1...50).map { Int64($0) * 60_000 }) { Double($0) }
        var options = TSDB.Options()
        options.readOnly = true
        let reader = try TSDB.open(path: path, options: options)
        #expect(try reader.select(x, in: 0...10_000_000) == writer.select(x, in: 0...10_000_000))
        try writer.compact(now: 2_100_000)   // the first block moves to chunks
        try write(writer, [3_100_000, 3_160_000]) { Double($0) }
        let expected = try writer.select(x, in: 0...10_000_000)
        #expect(expected.first?.samples.count == 52)
        #expect(try reader.select(x, in: 0...10_000_000) == expected)
        #expect(try reader.select(x, in: 1_700_000...1_900_000) == writer.select(x, in: 1_700_000...1_900_000))
    }

    @Test func aRewrittenChunkIsReadAfresh() throws {
        var options = TSDB.Options()
        options.retention = 50_000_000
        let db = try TSDB.open(path: dir.file("chunks.db"), options: options)
        try write(db, [1000, 2000]) { Double($0) }
        try db.compact(now: 100_000_000)
        let one = [m("__name__", .equal, "x")]
        #expect(try db.select(one, in: 0...10_000).first?.samples == [Sample(1000, 1000), Sample(2000, 2000)])   // cached
        #expect(try db.select(one, in: 1500...10_000).first?.samples == [Sample(2000, 2000)])
        try write(db, [1500]) { _ in 7 }   // late: merged into the compacted chunk
        try db.compact(now: 100_000_000)
        #expect(try db.storedSamples().head == 0)
        #expect(try db.select(one, in: 0...10_000).first?.samples == [Sample(1000, 1000), Sample(1500, 7), Sample(2000, 2000)])
        try db.applyRetention(now: 100_000_000)
        #expect(try db.select(one, in: 0...10_000).isEmpty)
    }
}
