import Foundation
import Testing
@testable import Storage

@Suite struct CheckStatusStoreTests {
    @Test func keepsLastFailureAfterRecovery() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("checkstatus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lookout.db").path
        let store = try CheckStatusStore(path: path)
        try store.record(check: "api", success: false, at: 1000, durationSeconds: 0.2, reason: "status 503")
        try store.record(check: "api", success: true, at: 2000, durationSeconds: 0.1, reason: nil)
        try store.record(check: "db", success: true, at: 2000, durationSeconds: 0.05, reason: nil)
        let reopened = try CheckStatusStore(path: path)
        let rows = try reopened.all()
        #expect(rows.map(\.check) == ["api", "db"])
        #expect(rows[0].success && rows[0].reason == nil)
        #expect(rows[0].lastFailureAt == 1000 && rows[0].lastFailureReason == "status 503")
        #expect(rows[1].lastFailureAt == nil)
        try reopened.retain(["db"])
        #expect(try reopened.all().map(\.check) == ["db"])
    }

    @Test func keepsEachFailuresReasonTheLastFiftyAndEveryOutageStart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("checkfailures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CheckStatusStore(path: dir.appendingPathComponent("lookout.db").path, retention: 1_000_000)
        try store.record(check: "api", success: true, at: 1_000, durationSeconds: 0.1, reason: nil)
        try store.record(check: "api", success: false, at: 2_000, durationSeconds: 0.1, reason: "status 503")
        for i in 0..<60 {
            try store.record(check: "api", success: false, at: 3_000 + Int64(i) * 1_000, durationSeconds: 0.1,
                             reason: "latency \(i) s > 5 s")
        }
        try store.record(check: "api", success: true, at: 100_000, durationSeconds: 0.1, reason: nil)
        try store.record(check: "api", success: false, at: 101_000, durationSeconds: 0.1, reason: "timeout")
        try store.record(check: "db", success: false, at: 2_000, durationSeconds: 0.1, reason: "refused")

        let api = try #require(try store.failures(since: 0)["api"])
        // The outage's first failure stays although 60 came after it; of the rest only the newest 50 failures do.
        #expect(api.count == 51)
        #expect(api.first == CheckFailure(at: 2_000, reason: "status 503", startsOutage: true))
        #expect(api.dropFirst().first == CheckFailure(at: 14_000, reason: "latency 11 s > 5 s", startsOutage: false))
        #expect(api.last == CheckFailure(at: 101_000, reason: "timeout", startsOutage: true))
        #expect(api.filter(\.startsOutage).count == 2)
        // A first probe that fails starts an outage too.
        #expect(try store.failures(since: 0)["db"] == [CheckFailure(at: 2_000, reason: "refused", startsOutage: true)])
        #expect(try store.failures(since: 100_000)["api"]?.map(\.at) == [101_000])

        // Outage starts older than the retention go at the check's next failure.
        try store.record(check: "api", success: true, at: 1_200_000, durationSeconds: 0.1, reason: nil)
        try store.record(check: "api", success: false, at: 1_500_000, durationSeconds: 0.1, reason: "status 500")
        #expect(try store.failures(since: 0)["api"]?.map(\.at) == [1_500_000])

        try store.retain(["db"])
        #expect(try store.failures(since: 0)["api"] == nil)
    }

    @Test func aCheckFlappingOnEveryProbeKeepsABoundedNumberOfOutageStarts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("checkflap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CheckStatusStore(path: dir.appendingPathComponent("lookout.db").path)
        let flaps = CheckStatusStore.outageStartsKept + 20
        for i in 0..<flaps {
            try store.record(check: "flappy", success: true, at: Int64(2 * i) * 1000, durationSeconds: 0.1, reason: nil)
            try store.record(check: "flappy", success: false, at: Int64(2 * i + 1) * 1000, durationSeconds: 0.1, reason: "status 500")
        }
        let kept = try #require(try store.failures(since: 0)["flappy"])
        #expect(kept.count == CheckStatusStore.outageStartsKept)
        #expect(kept.last?.at == Int64(2 * flaps - 1) * 1000)
        #expect(kept.first?.at == Int64(2 * 20 + 1) * 1000)
    }
}
