import Channels
import Config
import Curl
import Foundation
import Logging
import Model
import Notify
import Storage
import Synchronization

/// Scheduled reports in the running daemon: the scheduler (a stage of its own) and the
/// configuration its builds read, swapped together on reload.
final class ReportWiring: Sendable {
    private final class Current: Sendable {
        let value: Mutex<LookoutConfig>
        init(_ config: LookoutConfig) { value = Mutex(config) }
    }

    private let current: Current
    let scheduler: ReportScheduler

    init(config: LookoutConfig, notifier: Notifier, tsdb: TSDB, checkStatus: CheckStatusStore, alertState: AlertStateStore) {
        let current = Current(config)
        self.current = current
        scheduler = ReportScheduler(notifier: notifier, logger: Logger(label: "lookout.reports")) { report, now in
            let config = current.value.withLock { $0 }
            return ReportBuilder(config: config, querier: tsdb, checkRows: try checkStatus.all(),
                                 activeAlerts: try alertState.loadAll().map(\.alert)).build(report, now: now)
        }
    }

    /// Swaps in `config`'s reports; the scheduler re-plans at once.
    func apply(_ config: LookoutConfig) async {
        current.value.withLock { $0 = config }
        await scheduler.update(reports: config.reports, timeZone: config.global.timezone)
    }
}

/// `lookout report NAME`: builds a report now from the store (the daemon may be running) and
/// prints it, or sends it through the report's channels, bypassing the queue.
public enum ReportPreview {
    /// The report called `name` built at `now` (ms) from the store in `config.global.dataDir`.
    /// Throws `ReportPreviewError` for an unknown report, store errors otherwise.
    public static func build(name: String, config: LookoutConfig, now: Timestamp) throws -> ReportNotification {
        guard let report = config.reports.first(where: { $0.name == name }) else {
            let known = config.reports.map(\.name).joined(separator: ", ")
            throw ReportPreviewError(description: "unknown report \"\(name)\" (configured: \(known.isEmpty ? "none" : known))")
        }
        let path = StorageDatabase.path(dataDir: config.global.dataDir)
        var options = TSDB.Options()
        options.readOnly = true
        let tsdb = try TSDB.open(path: path, options: options)
        defer { tsdb.close() }
        let rows = (try? CheckStatusStore(path: path).all()) ?? []
        let alerts = ((try? AlertStateStore(path: path).loadAll()) ?? []).map(\.alert)
        var built = ReportBuilder(config: config, querier: tsdb, checkRows: rows, activeAlerts: alerts).build(report, now: now)
        built.isPreview = true
        return built
    }

    /// The report as plain text, as the email's text part shows it.
    public static func text(_ report: ReportNotification) -> String { ReportRendering.plain(report) }

    /// Sends `report` through each of the report's channels now; one result per channel, in order.
    public static func send(_ report: ReportNotification, config: LookoutConfig) async throws -> [(String, DeliveryResult)] {
        let settings = NotifyMapping.settings(config)
        let channels = config.reports.first { $0.name == report.name }?.channels ?? []
        let loop = try CurlLoop()
        defer { loop.shutdown() }
        let transport = CurlTransport(loop: loop)
        let factory = ChannelFactory(http: transport, smtp: transport, logger: Logger(label: "lookout.notify"))
        var out: [(String, DeliveryResult)] = []
        for name in channels {
            guard let spec = settings.channels[name] else {
                out.append((name, .permanent(reason: "unknown channel \(name)")))
                continue
            }
            out.append((name, await factory.make(name: name, spec: spec).deliver(report.addressed(to: name))))
        }
        return out
    }
}

/// An unknown report name given to `lookout report`.
public struct ReportPreviewError: Error, CustomStringConvertible {
    /// What was wrong, for stderr.
    public let description: String
}
