import Config
import Foundation
import Logging
import Model
import Synchronization
import Testing
import TestSupport
@testable import Notify

/// The one clock of a test, moved by hand.
final class ManualClock: Sendable {
    private let value: Mutex<Timestamp>
    init(_ start: Timestamp) { value = Mutex(start) }
    var now: Timestamp { value.withLock { $0 } }
    func set(_ t: Timestamp) { value.withLock { $0 = t } }
    var clock: Notifier.Clock { { [self] in now } }
}

/// Records what the notifier delivers to it.
struct RecordingChannel: Channel {
    final class Box: Sendable { let items = Mutex<[ReportNotification]>([]) }
    let box = Box()

    func render(_ notification: GroupNotification) throws -> ReportNotification? { nil }
    func renderReport(_ report: ReportNotification) throws -> ReportNotification? { report }
    func send(_ request: ReportNotification?) async -> DeliveryResult {
        if let request { box.items.withLock { $0.append(request) } }
        return .delivered
    }
}

@Suite(.serialized) struct ReportSchedulerTests {
    let dir: TemporaryDirectory
    let channel = RecordingChannel()
    final class Counter: Sendable { let value = Mutex(0) }
    let builds = Counter()

    init() throws { dir = try TemporaryDirectory() }

    static func report(_ name: String = "daily", at hour: Int = 8, minute: Int = 0, channels: [String] = ["ops"]) -> ReportConfig {
        ReportConfig(name: name, hour: hour, minute: minute, channels: channels, include: [.uptime],
                     position: SourcePosition(file: "t.yml", line: 1, column: 1))
    }

    /// A notifier and scheduler on the test's database (a "restart" makes new ones on the same file).
    func start(_ clock: ManualClock, reports: [ReportConfig] = [report()]) async throws -> (Notifier, ReportScheduler) {
        let notifier = try Notifier(settings: NotifySettings(route: RouteSpec(), channels: [:]), channels: ["ops": channel],
                                    databasePath: dir.file("n.db"), logger: Logger(label: "test"), clock: clock.clock)
        let scheduler = ReportScheduler(notifier: notifier, logger: Logger(label: "test"), clock: clock.clock) { [builds] report, now in
            builds.value.withLock { $0 += 1 }
            return ReportNotification(channel: "", name: report.name, day: "", timeZone: "Europe/Berlin", generatedAt: now,
                                      uptime: UptimeSection(checks: []))
        }
        await scheduler.update(reports: reports, timeZone: berlin)
        return (notifier, scheduler)
    }

    func queued(_ notifier: Notifier) async -> Int { await notifier.metrics().queueLength["ops"] ?? 0 }

    @Test func sendsAtTheLocalTimeOnceAndNeverTwiceAcrossARestart() async throws {
        let clock = ManualClock(utc("2026-11-23T06:00:00Z"))
        var (notifier, scheduler) = try await start(clock)
        #expect(await scheduler.tick() == utc("2026-11-23T07:00:00Z"))
        #expect(await queued(notifier) == 0)
        clock.set(utc("2026-11-23T07:00:00Z"))
        await scheduler.tick()
        #expect(await queued(notifier) == 1)
        #expect(await scheduler.tick() == utc("2026-11-24T07:00:00Z"))
        #expect(await queued(notifier) == 1)
        // Restart later the same day: nothing new.
        clock.set(utc("2026-11-23T09:00:00Z"))
        (notifier, scheduler) = try await start(clock)
        #expect(await scheduler.tick() == utc("2026-11-24T07:00:00Z"))
        #expect(await queued(notifier) == 1, "the queued report survives the restart, and only it")
        #expect(try await notifier.reportDays() == ["daily": "2026-11-23"])
        // The next day it is due again.
        clock.set(utc("2026-11-24T07:00:01Z"))
        await scheduler.tick()
        #expect(await queued(notifier) == 2)
        #expect(builds.value.withLock { $0 } == 2)
    }

    @Test func catchesUpOnStartLaterTheSameDay() async throws {
        let clock = ManualClock(utc("2026-11-23T14:00:00Z"))
        let (notifier, scheduler) = try await start(clock)
        await scheduler.tick()
        await scheduler.tick()
        #expect(await queued(notifier) == 1)
        #expect(try await notifier.reportDays() == ["daily": "2026-11-23"])
    }

    @Test func queueingTwiceForOneDayIsRefusedByTheLog() async throws {
        let clock = ManualClock(utc("2026-11-23T14:00:00Z"))
        let (notifier, _) = try await start(clock)
        let r = ReportNotification(channel: "", name: "daily", day: "2026-11-23", timeZone: "UTC", generatedAt: clock.now)
        #expect(try await notifier.queueReport(r, channels: ["ops"], day: "2026-11-23"))
        #expect(try await !notifier.queueReport(r, channels: ["ops"], day: "2026-11-23"))
        #expect(await queued(notifier) == 1)
    }

    @Test func reloadPicksUpAChangedTime() async throws {
        let clock = ManualClock(utc("2026-11-23T06:00:00Z"))  // 07:00 in Berlin
        let (notifier, scheduler) = try await start(clock)
        #expect(await scheduler.tick() == utc("2026-11-23T07:00:00Z"))
        await scheduler.update(reports: [Self.report(at: 9)], timeZone: berlin)
        #expect(await scheduler.tick() == utc("2026-11-23T08:00:00Z"))
        // Moved to a time that has passed today: caught up at once.
        await scheduler.update(reports: [Self.report(at: 6, minute: 30)], timeZone: berlin)
        await scheduler.tick()
        #expect(await queued(notifier) == 1)
        // Moved again the same day: that day is done.
        await scheduler.update(reports: [Self.report(at: 12)], timeZone: berlin)
        clock.set(utc("2026-11-23T11:00:00Z"))
        #expect(await scheduler.tick() == utc("2026-11-24T11:00:00Z"))
        #expect(await queued(notifier) == 1)
    }

    @Test func queuedReportIsDeliveredFromTheOutbox() async throws {
        let clock = ManualClock(utc("2026-11-23T14:00:00Z"))
        let (notifier, scheduler) = try await start(clock)
        let run = Task { await notifier.run() }
        defer { run.cancel() }
        await scheduler.tick()
        let deadline = ContinuousClock.now + .seconds(10)
        while channel.box.items.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let delivered = channel.box.items.withLock { $0 }
        #expect(delivered.count == 1)
        #expect(delivered.first?.channel == "ops" && delivered.first?.day == "2026-11-23")
        #expect(delivered.first?.title == "[REPORT] daily — 2026-11-23")
        while await queued(notifier) > 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await queued(notifier) == 0)
    }
}

@Suite struct QueuedMessageTests {
    @Test func reportsAndAlertNotificationsShareTheOutboxAndOldRowsStillDecode() throws {
        let report = ReportNotification(channel: "ops", name: "daily", day: "2026-11-23", timeZone: "UTC", generatedAt: 5,
                                        alerts: AlertsSection(windowMilliseconds: 86_400_000, entries: []))
        guard case .report(let back) = try QueuedMessage.decode(try QueuedMessage.encode(report)) else {
            Issue.record("a report must decode as a report")
            return
        }
        #expect(back == report)
        // Alert notifications are stored as bare GroupNotification JSON, as before reports existed.
        let group = GroupNotification(channel: "ops", groupKey: "{}:{}", groupLabels: ["alertname": "A"],
                                      alerts: [firing(["alertname": "A"])], createdAt: 5)
        guard case .alerts(let alerts) = try QueuedMessage.decode(Array(try JSONEncoder().encode(group))) else {
            Issue.record("a group notification must decode as alerts")
            return
        }
        #expect(alerts == group)
    }
}
