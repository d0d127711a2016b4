import Channels
import Collect
import Config
import Curl
import Forward
import Foundation
import Logging
import Model
import Notify
import Rules
import Server
import ServiceLifecycle
import Storage
import Synchronization

/// The running stages and the configuration they were built from. Reload rebuilds the
/// config-scoped parts (targets, checks, rule groups, routes, channels) and swaps them in; the
/// store and alert state stay.
final class Runtime: Sendable {
    private let source: ConfigSource
    private let logger: Logger
    private let current: Mutex<LookoutConfig>
    let tsdb: TSDB
    let curl: CurlLoop
    let notifier: Notifier
    let alertState: AlertStateStore
    let collector: Collector
    let remoteWriter: RemoteWriter
    let checkStatus: CheckStatusStore
    /// Why failing checks fail, added to the notifications of alerts on them (own channels only:
    /// what Alertmanager receives stays as Prometheus would send it).
    let failureReasons: CheckFailureReasons
    let forwarder = AlertForwarder()
    let alertmanager: AlertmanagerWiring
    let reports: ReportWiring
    let rules = SwappableStage("rules")
    private let httpServer = Mutex<APIServer?>(nil)
    /// Opens once every listener is bound, so READY=1 means the API answers.
    let listening = Gate()
    private let rulesManager = Mutex<RuleManager?>(nil)

    /// The dead man's switch, when configured (its URL is fixed until a restart).
    private var heartbeat: [any Service] {
        guard let beat = config.global.heartbeat else { return [] }
        return [HeartbeatService(url: beat.url.value, interval: .milliseconds(beat.interval), loop: curl,
                                 logger: Logger(label: "lookout.heartbeat"), healthy: { [weak self] in
            // Vouch only while every rule group has evaluated within three of its intervals.
            guard let self, let groups = self.currentRules?.status() else { return false }
            let now = Clock.now()
            return groups.allSatisfy { g in
                g.metrics.lastEvaluation.map { now - $0 <= 3 * max(g.spec.interval, 1000) } ?? true
            }
        })]
    }

    /// The configuration in force.
    var config: LookoutConfig { current.withLock { $0 } }
    /// The rule manager of the configuration in force.
    var currentRules: RuleManager? { rulesManager.withLock { $0 } }
    private let stages: [any Service]
    /// Every long-running stage, in start-up order; the HTTP server runs as a plain service so it
    /// drains connections on graceful shutdown.
    var services: [any Service] {
        stages + (httpServer.withLock { $0 }.map { [HTTPService(api: $0, listening: listening)] } ?? []) + heartbeat
    }
    let statusLine: String

    private init(config: LookoutConfig, source: ConfigSource, logger: Logger, tsdb: TSDB, curl: CurlLoop,
                 notifier: Notifier, alertState: AlertStateStore, checkStatus: CheckStatusStore) {
        self.source = source
        self.logger = logger
        self.current = Mutex(config)
        self.tsdb = tsdb
        self.curl = curl
        self.notifier = notifier
        self.alertState = alertState
        self.checkStatus = checkStatus
        self.alertmanager = AlertmanagerWiring(dataDir: config.global.dataDir, curl: curl)
        let reports = ReportWiring(config: config, notifier: notifier, tsdb: tsdb, checkStatus: checkStatus, alertState: alertState)
        self.reports = reports
        let remoteWriter = RemoteWriteWiring.writer(config: config, curl: curl)
        self.remoteWriter = remoteWriter
        let collectLogger = Logger(label: "lookout.collect")
        let lastOutcome = Mutex<[String: Bool]>([:])
        // Seeded from the store, so an alert evaluated before a check's first probe after a restart has its reason.
        let failureReasons = CheckFailureReasons()
        for row in (try? checkStatus.all()) ?? [] {
            failureReasons.record(check: row.check, success: row.success, reason: row.reason)
        }
        self.failureReasons = failureReasons
        let statusRecorder = CheckStatusRecorder(store: checkStatus, logger: collectLogger)
        let collector = Collector(loop: curl, appender: TeeAppender(tsdb, remoteWriter), logger: collectLogger) { result in
            failureReasons.record(check: result.check, success: result.success, reason: result.reason)
            statusRecorder.record(check: result.check, success: result.success, at: result.timestamp,
                                  duration: result.duration, reason: result.reason)
            // Log transitions only: a check that stays down must not flood the journal.
            let previous = lastOutcome.withLock { $0.updateValue(result.success, forKey: result.check) }
            if previous != result.success {
                if result.success {
                    collectLogger.info("check up", metadata: ["check": "\(result.check)"])
                } else {
                    collectLogger.warning("check down", metadata: ["check": "\(result.check)", "reason": "\(result.reason ?? "")"])
                }
            }
        }
        self.collector = collector
        let forwarder = self.forwarder
        self.stages = [
            StageService("storage") { await tsdb.run() },
            StageService("remote-write") { await remoteWriter.run() },
            StageService("collector") { await collector.run() },
            StageService("notifier") { await notifier.run() },
            StageService("alert-forwarder") { await forwarder.pump(into: notifier) },
            rules,
            StageService("reports") { await reports.scheduler.run() },
        ]
        self.statusLine = "config \(source.name): \(config.checks.count) checks, \(config.scrape.count) scrape jobs, data in \(config.global.dataDir)"
    }

    /// Opens the data directory and builds every stage. Throws `StartupError` for runtime failures.
    static func start(config: LookoutConfig, source: ConfigSource, logger: Logger) async throws -> Runtime {
        let dataDir = config.global.dataDir
        do {
            // Owner only, as systemd's StateDirectoryMode=0700: the store holds alert history,
            // silences and queued notifications.
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError("cannot create data directory \(dataDir): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: dataDir) else {
            throw StartupError("data directory \(dataDir) is not writable")
        }
        var options = TSDB.Options()
        options.retention = config.global.retention
        let storageLogger = Logger(label: "lookout.storage")
        options.log = { message in storageLogger.warning("\(message)") }
        options.info = { message in storageLogger.info("\(message)") }
        let tsdb: TSDB
        do {
            tsdb = try TSDB.open(dataDir: dataDir, options: options)
        } catch {
            throw StartupError("cannot open database in \(dataDir): \(error)")
        }
        let curl: CurlLoop
        do {
            curl = try CurlLoop()
        } catch {
            throw StartupError("cannot start the network loop: \(error)")
        }
        let notifier = try makeNotifier(config: config, dataDir: dataDir, curl: curl)
        let alertState: AlertStateStore
        let checkStatus: CheckStatusStore
        do {
            alertState = try AlertStateStore(path: StorageDatabase.path(dataDir: dataDir))
            checkStatus = try CheckStatusStore(path: StorageDatabase.path(dataDir: dataDir), retention: config.global.retention)
        } catch {
            throw StartupError("cannot open alert state in \(dataDir): \(error)")
        }
        let runtime = Runtime(config: config, source: source, logger: logger, tsdb: tsdb, curl: curl,
                              notifier: notifier, alertState: alertState, checkStatus: checkStatus)
        try await runtime.apply(config)
        try await runtime.startServer(config)
        return runtime
    }

    /// Builds the config-scoped stages for `config` and swaps them in.
    private func apply(_ config: LookoutConfig) async throws {
        try? checkStatus.retain(Set(config.checks.map(\.name)))
        for problem in collector.update(CollectMapping.specs(config)) {
            logger.warning("collection job not started", metadata: ["problem": "\(problem)"])
        }
        for pattern in config.unmatchedRuleFileGlobs {
            logger.warning("rule_files pattern matches no file; no rules loaded from it", metadata: ["pattern": "\(pattern)"])
        }
        let settings = NotifyMapping.settings(config)
        await notifier.reload(settings: settings, channels: Runtime.channels(settings, curl: curl))
        try await RemoteWriteWiring.apply(config, to: remoteWriter)
        try alertmanager.apply(config, groups: GroupSpec.all(from: config))
        let manager = try RulesWiring.manager(config: config, tsdb: tsdb, stateStore: alertState,
                                              notify: alertmanager.fanOut(failureReasons.annotating(forwarder.notify)),
                                              appender: TeeAppender(tsdb, remoteWriter))
        rulesManager.withLock { $0 = manager }
        await rules.swap { await manager.run() }
        await reports.apply(config)
    }

    /// Starts the HTTP server on `global.listen` (none when it is ""). Binding is checked first so
    /// a taken port is a start-up failure (exit 2), not a crash after READY.
    func startServer(_ config: LookoutConfig) async throws {
        guard let listen = config.global.listen else {
            listening.open()
            return
        }
        try PortCheck.assertBindable(host: listen.host, port: listen.port)
        let auth: Server.APIAuth
        switch config.global.apiAuth {
        case nil:
            auth = .none
            if !LoopbackHost.contains(listen.host) {
                logger.warning("""
                    the API listens beyond this machine without global.api_auth: whoever reaches it can \
                    read every series, create silences and reload the configuration
                    """,
                               metadata: ["listen": "\(listen)"])
            }
        case .bearerToken(let token): auth = .bearerToken(token.value)
        case .basic(let username, let hash):
            // Validated when the config was loaded.
            auth = PasswordHash(hash.value).map { .basic(username: username, hash: $0) } ?? .basic(username: username, passwordSHA256: "")
        }
        let api = try APIServer(dependencies: ServerWiring.dependencies(runtime: self), listen: listen.description,
                                auth: auth, logger: Logger(label: "lookout.http"),
                                onListening: { [listening] _ in listening.open() })
        httpServer.withLock { $0 = api }
    }

    static func channels(_ settings: NotifySettings, curl: CurlLoop) -> [String: any Channel] {
        let transport = CurlTransport(loop: curl)
        return ChannelFactory(http: transport, smtp: transport, logger: Logger(label: "lookout.notify")).makeAll(settings.channels)
    }

    static func makeNotifier(config: LookoutConfig, dataDir: String, curl: CurlLoop) throws -> Notifier {
        let settings = NotifyMapping.settings(config)
        do {
            return try Notifier(settings: settings, channels: channels(settings, curl: curl),
                                databasePath: StorageDatabase.path(dataDir: dataDir), logger: Logger(label: "lookout.notify"))
        } catch {
            throw StartupError("cannot open the notification queue in \(dataDir): \(error)")
        }
    }

    /// Loads and validates the configuration again; on success swaps it in. Returns the
    /// diagnostics that kept the old one.
    func reload() async -> [String] {
        switch source.load() {
        case .failure(let errors):
            return errors.diagnostics.map(\.description)
        case .success(let config):
            let old = self.config
            do {
                try await apply(config)
                if old.global.listen != config.global.listen {
                    logger.warning("global.listen changed; the HTTP server keeps its address until a restart")
                }
                if old.global.dataDir != config.global.dataDir {
                    logger.warning("global.data_dir changed; the running daemon keeps its database until a restart")
                }
                if old.global.maxConcurrentQueries != config.global.maxConcurrentQueries {
                    logger.warning("global.max_concurrent_queries changed; the HTTP server keeps its limit until a restart")
                }
                if old.global.retention != config.global.retention {
                    logger.warning("global.retention changed; the store keeps the old retention until a restart")
                }
            } catch {
                return ["\(source.name): \(error)"]
            }
            current.withLock { $0 = config }
            return []
        }
    }

    /// Closes the store after every stage has stopped.
    func close() async {
        alertmanager.stop()
        curl.shutdown()
        tsdb.close()
    }
}

/// A failure to start that is not the operator's input: exit code 2.
struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The HTTP server as a service of the group: graceful shutdown lets in-flight requests finish.
/// Named by its description: swift-service-lifecycle logs each service at debug level, and the
/// default rendering would dump the server's dependencies and credentials' digests.
struct HTTPService: Service, CustomStringConvertible {
    var description: String { "http" }
    let api: APIServer
    let listening: Gate

    func run() async throws {
        do {
            try await api.run()
        } catch {
            listening.open()   // never leave readiness (and so shutdown) waiting on a server that died
            throw error
        }
    }
}
