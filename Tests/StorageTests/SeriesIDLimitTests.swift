import Testing
import Foundation
import Model
import Synchronization
@testable import Storage

/// Ids are 32-bit and never reused; once they are used up, new series are dropped with one log
/// line and existing series are still stored (no trap, no stalled writer).
@Suite struct SeriesIDLimitTests {
    let dir = TempDirectory()

    @Test func newSeriesPastTheLastIDAreDroppedAndTheRestStored() throws {
        let lines = Mutex<[String]>([])
        var options = TSDB.Options()
        options.seriesIDLimit = 4   // ids 1, 2 and 3
        options.log = { line in lines.withLock { $0.append(line) } }
        let db = try TSDB.open(path: dir.file("ids.db"), options: options)
        let old = (0..<3).map { ls("m", ["i": "\($0)"]) }
        try db.append(old.map { LabeledSample($0, Sample(1_000, 1)) })
        // A scrape that brings two new series besides the three known ones, twice.
        let fresh = (3..<5).map { ls("m", ["i": "\($0)"]) }
        for t: Int64 in [2_000, 3_000] {
            try db.append((old + fresh).map { LabeledSample($0, Sample(t, 2)) })
        }
        let stored = try db.select([m("__name__", .equal, "m")], in: 0...10_000)
        #expect(stored.map(\.labels) == old)
        #expect(stored.allSatisfy { $0.samples.map(\.timestamp) == [1_000, 2_000, 3_000] })
        let stats = try db.stats()
        #expect(stats.series == 3)
        #expect(stats.droppedSamples == 4)
        #expect(stats.heldSamples == 0)   // nothing waits in memory behind the dropped series
        let logged = lines.withLock { $0 }.filter { $0.contains("series ids used up") }
        #expect(logged.count == 1)
        db.close()
    }
}
