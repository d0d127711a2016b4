import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the daemon's long-lived stages until SIGTERM or SIGINT, reloads on SIGHUP, and keeps
/// systemd informed (READY, RELOADING, STOPPING, WATCHDOG).
///
/// Start-up order is the order of `services`; shutdown is the reverse (ServiceGroup semantics).
struct Lifecycle {
    let services: [any Service]
    let notifier: SystemdNotifier
    let logger: Logger
    /// Loads, validates and applies a new configuration; returns the errors that kept the old one.
    let reload: @Sendable () async -> [String]
    let readyStatus: String
    /// Returns once the stages are ready to serve (listeners bound).
    let ready: @Sendable () async -> Void

    func run() async throws {
        var all = services
        // Trap SIGHUP before anything can announce readiness: its default action would kill us.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        all.append(SignalService(signals: hangups) { [notifier, reload, logger] in
            notifier.reloading()
            let errors = await reload()
            ReloadLog.record(errors, logger: logger)
            notifier.ready(status: errors.isEmpty ? "reloaded" : "reload failed; running previous configuration")
        })
        if let interval = notifier.watchdogInterval {
            all.append(WatchdogService(notifier: notifier, interval: interval))
        }
        // Last, so ServiceGroup has trapped SIGTERM/SIGINT before READY=1 goes out.
        all.append(ReadinessService(notifier: notifier, logger: logger, status: readyStatus, ready: ready))
        let group = ServiceGroup(configuration: .init(
            services: all.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger))
        try await group.run()
        logger.info("lookout stopped")
    }
}

/// Calls `action` for each delivery of an already-trapped signal until graceful shutdown.
struct SignalService: Service, CustomStringConvertible {
    var description: String { "signals" }
    let signals: UnixSignalsSequence
    let action: @Sendable () async -> Void

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await action()
        }
    }
}

/// Sends WATCHDOG=1 at half of systemd's watchdog interval.
struct WatchdogService: Service, CustomStringConvertible {
    var description: String { "watchdog" }
    let notifier: SystemdNotifier
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.watchdog()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// Announces READY=1 once every service has started, and STOPPING=1 as soon as shutdown begins.
struct ReadinessService: Service, CustomStringConvertible {
    var description: String { "readiness" }
    let notifier: SystemdNotifier
    let logger: Logger
    let status: String
    let ready: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown { await ready() }
        notifier.ready(status: status)
        logger.info("lookout ready", metadata: ["status": "\(status)"])
        try? await gracefulShutdown()
        notifier.stopping()
        logger.info("lookout stopping")
    }
}
