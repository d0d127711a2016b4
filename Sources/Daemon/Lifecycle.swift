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

    func run() async throws {
        var all = services
        all.append(SignalService(signal: .sighup, logger: logger) { [notifier, reload, logger] in
            notifier.reloading()
            let errors = await reload()
            if errors.isEmpty {
                logger.info("configuration reloaded")
            } else {
                for error in errors { logger.error("reload rejected; keeping the running configuration", metadata: ["error": "\(error)"]) }
            }
            notifier.ready(status: errors.isEmpty ? "reloaded" : "reload failed; running previous configuration")
        })
        if let interval = notifier.watchdogInterval {
            all.append(WatchdogService(notifier: notifier, interval: interval))
        }
        let group = ServiceGroup(configuration: .init(
            services: all.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger))
        notifier.ready(status: readyStatus)
        logger.info("lookout ready", metadata: ["status": "\(readyStatus)"])
        do {
            try await group.run()
        } catch {
            notifier.stopping()
            throw error
        }
        notifier.stopping()
        logger.info("lookout stopped")
    }
}

/// Calls `action` for each delivery of a signal until graceful shutdown.
struct SignalService: Service {
    let signal: UnixSignal
    let logger: Logger
    let action: @Sendable () async -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: signal)
        for await _ in signals.cancelOnGracefulShutdown() {
            await action()
        }
    }
}

/// Sends WATCHDOG=1 at half of systemd's watchdog interval.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.watchdog()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
