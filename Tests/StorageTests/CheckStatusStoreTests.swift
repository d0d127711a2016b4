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
}
