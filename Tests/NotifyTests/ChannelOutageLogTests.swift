import Logging
import Model
import Testing
import TestSupport
@testable import Notify
@testable import Storage

/// A receiver outage is one warning when it starts (or its reason changes) and one info line when
/// it ends, not a warning per retry of each queued notification.
@Suite struct ChannelOutageLogTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    func row(_ id: Int64, channel: String = "slack") -> OutboxRow {
        OutboxRow(id: id, channel: channel, groupKey: "g\(id)", payload: [], createdAt: 0, attempts: 0, nextAttemptAt: 0, lastError: nil)
    }

    @Test func anOutageIsLoggedWhenItStartsChangesAndEnds() async throws {
        let (logger, logs) = RecordingLogHandler.logger()
        let notifier = try Notifier(settings: NotifySettings(route: RouteSpec(), channels: [:]), channels: [:],
                                    databasePath: dir.file("n.db"), logger: logger, clock: { 1000 })
        func warnings() -> [String] { logs.all.filter { $0.hasPrefix("warning notification failed") } }

        for id in Int64(1)...20 { await notifier.finish(row(id), .retry(after: nil, reason: "HTTP 503: unavailable"), seconds: 0) }
        #expect(warnings().count == 1)
        #expect(logs.all.filter { $0.hasPrefix("debug notification failed") }.count == 19)
        // Another channel's outage is its own.
        await notifier.finish(row(21, channel: "pager"), .retry(after: nil, reason: "HTTP 503: unavailable"), seconds: 0)
        #expect(warnings().count == 2)
        // A new reason is worth a warning.
        await notifier.finish(row(22), .retry(after: nil, reason: "connection refused by 127.0.0.1 port 9"), seconds: 0)
        #expect(warnings().count == 3)
        #expect(warnings().last?.contains("connection refused") == true)

        await notifier.finish(row(23), .delivered, seconds: 0)
        let recovered = logs.all.filter { $0.hasPrefix("info channel recovered") }
        #expect(recovered.count == 1)
        #expect(recovered.first?.contains("channel=slack") == true)
        #expect(recovered.first?.contains("failed_attempts=21") == true)
        // Delivered again: no outage to end. Failing again: a new outage, a new warning.
        await notifier.finish(row(24), .delivered, seconds: 0)
        #expect(logs.all.filter { $0.hasPrefix("info channel recovered") }.count == 1)
        await notifier.finish(row(25), .retry(after: nil, reason: "HTTP 503: unavailable"), seconds: 0)
        #expect(warnings().count == 4)
    }
}
