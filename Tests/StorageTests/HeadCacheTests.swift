import Testing
import Model
import TestSupport
import Foundation
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

/// A series' compressed head samples answer every range exactly as the plain samples would.
@Suite struct SeriesSamplesTests {
    func check(_ written: [Sample], seed: UInt64) {
        var series = SeriesSamples()
        for sample in written { series.append(sample) }
        // The last write of a timestamp wins only in queries that merge (SampleCollector); the
        // cache returns samples in write order, as the head rows hold them.
        var rng = SplitMix(state: seed)
        let times = written.map(\.timestamp)
        let lo = (times.min() ?? 0) - 5, hi = (times.max() ?? 0) + 5
        var ranges: [ClosedRange<Timestamp>] = [Timestamp.min...Timestamp.max, lo...hi]
        for _ in 0..<200 {
            let a = lo + Int64(rng.next() % UInt64(hi - lo + 1)), b = lo + Int64(rng.next() % UInt64(hi - lo + 1))
            ranges.append(min(a, b)...max(a, b))
        }
        for range in ranges {
            let expected = written.filter { range.contains($0.timestamp) }
            let got = series.samples(in: range)
            #expect(got.map(\.timestamp) == expected.map(\.timestamp), "\(range)")
            #expect(got.map(\.value.bitPattern) == expected.map(\.value.bitPattern), "\(range)")
        }
    }

    @Test func increasingSeriesOfEverySizeAndKind() {
        for count in [0, 1, 31, 32, 33, 64, 100, 1000] {
            let counter = (0..<count).map { Sample(Int64($0) * 15_000 + 7, Double($0 * 3)) }
            let gauge = (0..<count).map { Sample(Int64($0) * 1_000 + Int64($0 % 3), sin(Double($0)) * 1e6) }
            let constant = (0..<count).map { Sample(Int64($0) * 5_000, 42) }
            var special = gauge
            if count > 10 { special[3].value = .nan; special[9] = Sample(special[9].timestamp, StaleMarker.value) }
            for (index, samples) in [counter, gauge, constant, special].enumerated() { check(samples, seed: UInt64(count * 4 + index)) }
        }
    }

    @Test func aSeriesWrittenOutOfOrderKeepsEverySample() {
        var samples = (0..<70).map { Sample(Int64($0) * 1000, Double($0)) }
        samples.append(Sample(5_500, -1))   // behind the newest: the series is kept decoded from here on
        samples += (70..<100).map { Sample(Int64($0) * 1000, Double($0)) }
        check(samples, seed: 99)
    }
}
