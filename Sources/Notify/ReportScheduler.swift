import Config
import Foundation
import Logging
import Model

/// Builds one report (every section it includes) at an instant (ms). The daemon supplies it: it
/// knows the store and the query engine. The result's `channel` is filled in per channel later.
public typealias ReportBuild = @Sendable (ReportConfig, Timestamp) async throws -> ReportNotification

/// Sends the configured `reports:` once a day at their local time, through the notifier's durable
/// outbox. The day each report was last queued lives in SQLite (written in the outbox
/// transaction), so a restart never sends twice and a start later the same day catches up.
public actor ReportScheduler {
    private var reports: [ReportConfig] = []
    private var timeZone: TimeZone = .current
    private let notifier: Notifier
    private let build: ReportBuild
    private let now: Notifier.Clock
    private let logger: Logger
    private let wakeup = Wakeup()
    /// After a failed build or queue, the report waits until then before trying again.
    private var retryAt: [String: Timestamp] = [:]
    /// The next send instant last logged per report, so each plan is logged once.
    private var planned: [String: Timestamp] = [:]

    /// `clock` is the one clock of the daemon (injectable for tests).
    public init(notifier: Notifier, logger: Logger, clock: @escaping Notifier.Clock = Notifier.wallClock,
                build: @escaping ReportBuild) {
        self.notifier = notifier
        self.logger = logger
        self.now = clock
        self.build = build
    }

    /// Swaps in the configured reports (on start and reload) and re-plans at once.
    public func update(reports: [ReportConfig], timeZone: TimeZone) {
        self.reports = reports
        self.timeZone = timeZone
        retryAt = [:]
        wakeup.signal()
    }

    /// Queues every report that is due now; returns when the next one is due (nil: no reports).
    @discardableResult
    public func tick() async -> Timestamp? {
        let t = now()
        let lastDays: [String: String]
        do {
            lastDays = try await notifier.reportDays()
        } catch {
            logger.error("cannot read report log", metadata: ["error": "\(error)"])
            return t + 60_000
        }
        var next: Timestamp?
        for report in reports {
            if let retry = retryAt[report.name], retry > t {
                next = min(next ?? retry, retry)
                continue
            }
            switch ReportSchedule.decide(hour: report.hour, minute: report.minute, timeZone: timeZone,
                                         lastSentDay: lastDays[report.name], now: t) {
            case .wait(let until):
                next = min(next ?? until, until)
                if planned.updateValue(until, forKey: report.name) != until {
                    let at = Date(timeIntervalSince1970: Double(until) / 1000).formatted(.iso8601)
                    logger.info("report scheduled", metadata: ["report": "\(report.name)", "next": "\(at)"])
                }
            case .send(let day):
                if await send(report, day: day, at: t) {
                    retryAt[report.name] = nil
                    next = min(next ?? t, t)  // plan again: the decision is now "wait until tomorrow"
                } else {
                    retryAt[report.name] = t + 60_000
                    next = min(next ?? t + 60_000, t + 60_000)
                }
            }
        }
        return next
    }

    /// Runs until cancelled. Re-plans at least every minute, so a wall-clock jump or a suspended
    /// machine delays a report by a minute at most.
    public func run() async {
        while !Task.isCancelled {
            var next = await tick()
            // A report just sent plans its next day on the following tick.
            if let n = next, n <= now() { next = await tick() }
            let wait = min(max((next ?? Int64.max) - now(), 0), 60_000)
            await wakeup.wait(milliseconds: wait == 0 ? 1000 : wait)
        }
    }

    private func send(_ report: ReportConfig, day: String, at t: Timestamp) async -> Bool {
        do {
            var content = try await build(report, t)
            content.day = day
            let queued = try await notifier.queueReport(content, channels: report.channels, day: day)
            if !queued { logger.debug("report already sent today", metadata: ["report": "\(report.name)"]) }
            return true
        } catch {
            logger.error("cannot build or queue report", metadata: ["report": "\(report.name)", "error": "\(error)"])
            return false
        }
    }
}
