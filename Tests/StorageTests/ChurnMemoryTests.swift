import Testing
import Model
@testable import Storage

/// Under label churn the in-memory tables by series id keep pages for the live series only,
/// not for every id ever created, and lookups by id keep working after prunes and a reopen.
@Suite struct ChurnMemoryTests {
    let dir = TempDirectory()
    static let hour: Int64 = 3_600_000
    static let perRound = 1500
    static let rounds = 12

    func open(_ name: String) throws -> TSDB {
        var options = TSDB.Options()
        options.retention = 6 * Self.hour
        return try TSDB.open(path: dir.file(name), options: options)
    }

    func pod(_ round: Int, _ i: Int) -> Labels { ls("pod_info", ["pod": "r\(round)-\(i)"]) }

    /// One round of 2 h: `perRound` new pod series with samples in its first minute only, ten
    /// stable series every 15 minutes, then a housekeeping round (retention drops what is 6 h old
    /// and prunes the pods left without samples).
    func round(_ db: TSDB, _ r: Int) throws {
        let start = Int64(r) * 2 * Self.hour
        let pods = (0..<Self.perRound).map { pod(r, $0) }
        for step in 0..<2 {
            try db.append(SeriesBatch(series: pods, values: pods.map { _ in Sample(start + Int64(step) * 30_000, 1) }))
        }
        for step in 0..<8 {
            try db.append((0..<10).map { LabeledSample(ls("stable", ["i": "\($0)"]), Sample(start + Int64(step) * 900_000, Double(r))) })
        }
        db.housekeepingRound(now: start + 2 * Self.hour)
    }

    /// Pages the live series need: one per distinct `id >> pageShift`.
    func livePages(_ db: TSDB) -> Int {
        db.index.withLock { index in
            var pages = Set<UInt32>()
            index.forEach { id, _ in pages.insert(id >> UInt32(PagedTable<Labels>.pageShift)) }
            return pages.count
        }
    }

    @Test func tablesShrinkToTheLiveSeriesAndLookupsSurviveAReopen() throws {
        let db = try open("churn.db")
        for r in 0..<Self.rounds { try round(db, r) }
        let stats = try db.stats()
        #expect(stats.prunedSeries > (Self.rounds - 5) * Self.perRound)
        let (maxID, pages) = db.index.withLock { ($0.maxID, $0.allocatedPages.labels) }
        let everCreated = Int(maxID) / PagedTable<Labels>.pageSize + 1
        // A small query sorts its few series directly; one over a large part of the series ranks
        // all the live ones: the same pages again.
        let stable = try db.select([m("__name__", .equal, "stable")], in: 0...Int64.max)
        #expect(stable.count == 10)
        _ = try db.select([m("__name__", .regexMatch, ".+")], in: 0...Int64.max)
        #expect(pages == livePages(db))
        #expect(db.index.withLock { $0.allocatedPages.ranks } == pages)
        #expect(pages * 2 < everCreated)
        // The head cache holds pages of the series in the head only.
        #expect(db.headCache.withLock { $0.allocatedPages } <= pages)

        // Live pods of the last round are found by id, before and after a reopen.
        let last = [m("__name__", .equal, "pod_info"), m("pod", .regexMatch, "r\(Self.rounds - 1)-.*")]
        let before = try db.select(last, in: 0...Int64.max)
        #expect(before.count == Self.perRound)
        let liveCount = stats.series
        db.close()

        let reopened = try open("churn.db")
        #expect(try reopened.stats().series == liveCount)
        #expect(reopened.index.withLock { $0.allocatedPages.labels } == pages)
        #expect(reopened.index.withLock { $0.maxID } == maxID)
        let after = try reopened.select(last, in: 0...Int64.max)
        #expect(after.map(\.labels) == before.map(\.labels))
        #expect(after.map(\.samples) == before.map(\.samples))
        #expect(try reopened.select([m("__name__", .equal, "stable")], in: 0...Int64.max).map(\.labels) == stable.map(\.labels))
        // An existing series keeps its id; a pruned label set comes back with a new, higher one.
        let t = Int64(Self.rounds) * 2 * Self.hour
        try reopened.append([LabeledSample(pod(Self.rounds - 1, 0), Sample(t, 2)), LabeledSample(pod(0, 0), Sample(t, 3))])
        #expect(try reopened.stats().series == liveCount + 1)
        let back = reopened.index.withLock { $0.match([m("pod", .equal, "r0-0")]) }
        #expect(back == [maxID + 1])
        #expect(try reopened.select([m("pod", .equal, "r0-0")], in: t...t).first?.samples == [Sample(t, 3)])
        #expect(try reopened.select([m("pod", .equal, "r\(Self.rounds - 1)-0")], in: 0...Int64.max).first?.samples.last == Sample(t, 2))
    }

    /// A reader in another process forgets the writer's pruned series and gives their pages back.
    @Test func aReadOnlyReaderGivesBackPagesOfPrunedSeries() throws {
        let writer = try open("reader.db")
        var options = TSDB.Options()
        options.readOnly = true
        let reader = try TSDB.open(path: dir.file("reader.db"), options: options)
        for r in 0..<Self.rounds {
            try round(writer, r)
            _ = try reader.select([m("__name__", .equal, "stable")], in: 0...Int64.max)   // refreshes its index
        }
        #expect(try reader.stats().series == writer.stats().series)
        let pages = reader.index.withLock { $0.allocatedPages.labels }
        #expect(pages == livePages(reader))
        #expect(pages == writer.index.withLock { $0.allocatedPages.labels })
        let maxID = reader.index.withLock { $0.maxID }
        #expect(pages * 2 < Int(maxID) / PagedTable<Labels>.pageSize + 1)
    }
}
