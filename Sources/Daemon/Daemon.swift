import Config
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// What `lookout run` was asked to do.
public struct DaemonOptions: Sendable {
    public var source: ConfigSource

    public init(source: ConfigSource) { self.source = source }
}

/// The only place that knows every concrete stage: it loads the config, opens the store, builds
/// and wires the stages, runs them until a shutdown signal, and swaps config-scoped parts on reload.
public enum Daemon {
    /// Process exit codes of SPEC §1.
    public enum Exit: Int32, Sendable {
        case success = 0, invalidInput = 1, runtimeFailure = 2
    }

    /// Runs the daemon to completion and returns the exit code. Errors go to `stderr` (config
    /// diagnostics, one per line) and to the log.
    public static func run(_ options: DaemonOptions, logger: Logger) async -> Exit {
        let config: LookoutConfig
        switch options.source.load() {
        case .success(let loaded): config = loaded
        case .failure(let errors):
            for diagnostic in errors.diagnostics { StandardError.write(diagnostic.description) }
            logger.error("invalid configuration; not starting", metadata: ["config": "\(options.source.name)", "errors": "\(errors.diagnostics.count)"])
            return .invalidInput
        }
        let runtime: Runtime
        do {
            runtime = try await Runtime.start(config: config, source: options.source, logger: logger)
        } catch {
            StandardError.write("lookout: \(error)")
            logger.error("start-up failed", metadata: ["error": "\(error)"])
            return .runtimeFailure
        }
        let lifecycle = Lifecycle(
            services: runtime.services,
            notifier: SystemdNotifier(environment: options.source.environment),
            logger: logger,
            reload: { await runtime.reload() },
            readyStatus: runtime.statusLine,
            ready: { await runtime.listening.wait() })
        do {
            try await lifecycle.run()
        } catch {
            logger.error("stopped on error", metadata: ["error": "\(error)"])
            await runtime.close()
            return .runtimeFailure
        }
        await runtime.close()
        return .success
    }
}

/// Writes whole lines to stderr.
public enum StandardError {
    /// Writes `line` and a newline to file descriptor 2.
    public static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
