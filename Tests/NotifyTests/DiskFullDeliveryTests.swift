import Foundation
import Logging
import Model
import SQLite
import Synchronization
import Testing
import TestSupport
@testable import Notify
@testable import Storage

/// When the outbox cannot be written (disk full), a delivered notification is not sent again and a
/// failed one still waits for its retry time: the outcome is kept in memory and stored later.
@Suite struct DiskFullDeliveryTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    /// Counts sends per group and answers with a fixed result.
    struct CountingChannel: Channel {
        final class Box: Sendable { let sends = Mutex<[String: Int]>([:]) }
        let box = Box()
        let result: DeliveryResult

        func render(_ notification: GroupNotification) throws -> String { notification.groupKey }
        func renderReport(_ report: ReportNotification) throws -> String { report.name }
        func send(_ request: String) async -> DeliveryResult {
            box.sends.withLock { $0[request, default: 0] += 1 }
            return result
        }
        func count(_ group: String) -> Int { box.sends.withLock { $0[group] ?? 0 } }
    }

    func enqueue(_ outbox: OutboxStore, channel: String, group: String, at time: Timestamp) throws {
        let n = GroupNotification(channel: channel, groupKey: group, groupLabels: ["alertname": "A"],
                                  alerts: [firing(["alertname": "A", "g": group])], createdAt: time)
        try outbox.enqueue(channel: channel, groupKey: group, payload: Array(try JSONEncoder().encode(n)), createdAt: time)
    }

    @Test func nothingIsSentTwiceOrRetriedEarlyWhileTheOutboxCannotBeWritten() async throws {
        let path = dir.file("n.db")
        let t: Timestamp = 1_000_000   // the notifier's clock stands still: no retry ever becomes due
        let side = try Connection(path: path)
        let outbox = try OutboxStore(side)
        try enqueue(outbox, channel: "ok", group: "g1", at: t)
        try enqueue(outbox, channel: "flaky", group: "g2", at: t)
        // The disk is "full": every change to the outbox fails as SQLITE_FULL would.
        try side.execute("""
            CREATE TRIGGER full_delete BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            CREATE TRIGGER full_update BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            """)
        let ok = CountingChannel(result: .delivered)
        let flaky = CountingChannel(result: .retry(after: nil, reason: "HTTP 503"))
        let (logger, logs) = RecordingLogHandler.logger()
        let notifier = try Notifier(settings: NotifySettings(route: RouteSpec(), channels: [:]), channels: ["ok": ok, "flaky": flaky],
                                    databasePath: path, logger: logger, clock: { t })
        let running = Task { await notifier.run() }
        defer { running.cancel() }

        #expect(await eventually { ok.count("g1") >= 1 && flaky.count("g2") >= 1 })
        // A marker queued afterwards and delivered proves the loop went round since.
        try enqueue(outbox, channel: "ok", group: "marker", at: t)
        #expect(await eventually { ok.count("marker") >= 1 })
        #expect(ok.count("g1") == 1, "a delivered notification was sent \(ok.count("g1")) times")
        #expect(flaky.count("g2") == 1, "a failed notification was retried \(flaky.count("g2")) times before its time")
        #expect(logs.all.filter { $0.hasPrefix("error cannot update the notification queue") }.count == 1)

        // Space again: the outcomes kept in memory are stored.
        try side.execute("DROP TRIGGER full_delete; DROP TRIGGER full_update")
        #expect(await eventually { (try? outbox.count()) == 1 })
        #expect(try outbox.pending(channel: "flaky", limit: 10).map(\.attempts) == [1])
        #expect(logs.all.contains { $0.hasPrefix("info notification queue writable again") })
        #expect(ok.count("g1") == 1 && ok.count("marker") == 1)
    }
}
