import Model
import Testing
import TestSupport
@testable import Forward

@Suite struct RemoteWriteBacklogTests {
    let directory: TemporaryDirectory
    var path: String { directory.file("remote-write.db") }

    init() throws { directory = try TemporaryDirectory() }

    private func batch(shard: Int = 0, samples: Int = 10, newest: Timestamp, bytes: Int = 100) -> EncodedBatch {
        EncodedBatch(shard: shard, samples: samples, oldest: newest - 1000, newest: newest, payload: Array(repeating: UInt8(shard), count: bytes))
    }

    /// The backlog file is data at rest: an endpoint's key holds neither the URL's credentials nor
    /// its query (tokens), but still tells apart endpoints that differ only by their query.
    @Test func backlogKeysHoldNoSecret() {
        let a = Endpoint.backlogKey("https://u:pw-s3cr3t@mimir.example.com/api/v1/push?token=q-s3cr3t")
        let b = Endpoint.backlogKey("https://mimir.example.com/api/v1/push?token=other")
        #expect(!a.contains("s3cr3t"))
        #expect(a.hasPrefix("https://mimir.example.com/api/v1/push?sha256:") && a != b)
        #expect(a == Endpoint.backlogKey("https://mimir.example.com/api/v1/push?token=q-s3cr3t"), "credentials may rotate")
        #expect(Endpoint.backlogKey("http://u:p@127.0.0.1:9090/api/v1/write") == "http://127.0.0.1:9090/api/v1/write")
    }

    @Test func claimsEachShardInOrderAndSkipsClaimedBatches() throws {
        let backlog = try Backlog(path: path)
        try backlog.insert("e", shards: 2, [batch(shard: 0, newest: 1), batch(shard: 1, newest: 2), batch(shard: 0, newest: 3)])
        let first = try #require(try backlog.claim("e", shards: 2, shard: 0))
        #expect(first.batch.newest == 1)
        #expect(try backlog.claim("e", shards: 2, shard: 0)?.batch.newest == 3, "a claimed batch is not handed out twice")
        #expect(try backlog.claim("e", shards: 2, shard: 1)?.batch.newest == 2)
        #expect(try backlog.claim("other", shards: 2, shard: 0) == nil)
        try backlog.finish("e", first, remove: true)
        #expect(backlog.totals("e") == Backlog.Totals(samples: 20, bytes: 200))
    }

    @Test func releasedBatchesComeBackAndOtherShardCountsAreLegacy() throws {
        let backlog = try Backlog(path: path)
        try backlog.insert("e", shards: 1, [batch(newest: 1)])
        try backlog.insert("e", shards: 3, [batch(shard: 2, newest: 2)])
        let legacy = try #require(try backlog.claim("e", shards: 3, shard: nil))
        #expect(legacy.batch.newest == 1)
        try backlog.finish("e", legacy, remove: false)
        #expect(try backlog.claim("e", shards: 3, shard: nil)?.id == legacy.id)
        #expect(try backlog.claim("e", shards: 3, shard: 2)?.batch.newest == 2)
    }

    @Test func trimsExpiredBatchesThenOldestBeyondTheByteLimit() throws {
        let backlog = try Backlog(path: path)
        try backlog.insert("e", shards: 1, (1...10).map { batch(newest: Timestamp($0) * 1000) })
        let inFlight = try #require(try backlog.claim("e", shards: 1, shard: 0))   // newest 1000: expired but being sent
        let trimmed = try backlog.trim("e", expiredBefore: 3500, maxBytes: 500)
        // 2000 and 3000 are expired; then 4000…6000 go to get from 800 down to 500 bytes (the claimed one stays).
        #expect(trimmed == Backlog.Trimmed(batches: 5, samples: 50, expired: 20, overflow: 30))
        #expect(backlog.totals("e") == Backlog.Totals(samples: 50, bytes: 500))
        #expect(try backlog.oldest("e") == 0)
        try backlog.finish("e", inFlight, remove: true)
        #expect(try backlog.oldest("e") == 6000)
        #expect(try backlog.trim("e", expiredBefore: 0, maxBytes: 1 << 20) == Backlog.Trimmed())
    }

    @Test func reopeningKeepsTotalsAndOrderAndPurgesRemovedEndpoints() throws {
        do {
            let backlog = try Backlog(path: path)
            try backlog.insert("kept", shards: 1, [batch(newest: 5), batch(newest: 6)])
            try backlog.insert("gone", shards: 1, [batch(newest: 7)])
        }
        let reopened = try Backlog(path: path)
        #expect(reopened.totals("kept") == Backlog.Totals(samples: 20, bytes: 200))
        #expect(try reopened.purge(keeping: ["kept"]) == ["gone": 10])
        #expect(reopened.totals("gone") == Backlog.Totals())
        #expect(try reopened.claim("kept", shards: 1, shard: 0)?.batch.newest == 5)
        #expect(try Backlog(path: path).totals("gone") == Backlog.Totals())
    }
}
