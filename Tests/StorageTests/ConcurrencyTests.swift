import Foundation
import Testing
import Model
@testable import Storage

@Suite struct ConcurrencyTests {
    let dir = TempDirectory()

    /// Readers on the pool see growing, consistent snapshots while the writer appends and compacts.
    @Test func readersRunWhileTheWriterWrites() async throws {
        var options = TSDB.Options()
        options.blockDuration = 60_000
        let db = try TSDB.open(path: dir.file("c.db"), options: options)
        let batches = 300
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for k in 0..<batches {
                    try db.append((0..<20).map { LabeledSample(ls("w", ["i": "\($0)"]), Sample(Int64(k) * 1000, Double(k))) })
                    if k % 50 == 49 { try db.compact(now: Int64(k) * 1000) }
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    var seen = 0
                    while seen < batches {
                        let series = try db.select([m("__name__", .equal, "w")], in: 0...Int64(batches) * 1000)
                        let counts = Set(series.map(\.samples.count))
                        #expect(counts.count <= 1, "one snapshot: every series has the same samples")
                        let n = counts.first ?? 0
                        #expect(n >= seen)
                        if let s = series.first { #expect(s.samples.map(\.value) == (0..<n).map(Double.init)) }
                        seen = n
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The housekeeping loop compacts on its own and stops when cancelled.
    @Test func runLoopCompactsUntilCancelled() async throws {
        var options = TSDB.Options()
        options.housekeepingInterval = .milliseconds(5)
        let db = try TSDB.open(path: dir.file("run.db"), options: options)
        try db.append([LabeledSample(ls("old"), Sample(1_000, 1))])   // 1970: long complete, and past retention
        let loop = Task { await db.run() }
        var stats = try db.stats()
        for _ in 0..<2000 where stats.headRows > 0 {
            try await Task.sleep(for: .milliseconds(5))
            stats = try db.stats()
        }
        loop.cancel()
        await loop.value
        #expect(stats.headRows == 0)
        #expect(try db.select([m("__name__", .equal, "old")], in: 0...5_000).isEmpty, "retention removed 1970")
    }
}
