import Config
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The running stages and the configuration they were built from. Reload rebuilds the
/// config-scoped parts (targets, checks, rule groups, routes, channels) and swaps them in; the
/// store and alert state stay.
final class Runtime: Sendable {
    private let source: ConfigSource
    private let logger: Logger
    private let current: Mutex<LookoutConfig>
    let services: [any Service]
    let statusLine: String

    private init(config: LookoutConfig, source: ConfigSource, logger: Logger, services: [any Service]) {
        self.source = source
        self.logger = logger
        self.current = Mutex(config)
        self.services = services
        self.statusLine = "config \(source.name): \(config.checks.count) checks, \(config.scrape.count) scrape jobs, data in \(config.global.dataDir)"
    }

    /// Opens the data directory and builds every stage. Throws `StartupError` for runtime failures.
    static func start(config: LookoutConfig, source: ConfigSource, logger: Logger) async throws -> Runtime {
        let dataDir = config.global.dataDir
        do {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        } catch {
            throw StartupError("cannot create data directory \(dataDir): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: dataDir) else {
            throw StartupError("data directory \(dataDir) is not writable")
        }
        return Runtime(config: config, source: source, logger: logger, services: [])
    }

    /// Loads and validates the configuration again; on success swaps it in. Returns the
    /// diagnostics that kept the old one.
    func reload() async -> [String] {
        switch source.load() {
        case .failure(let errors):
            return errors.diagnostics.map(\.description)
        case .success(let config):
            current.withLock { $0 = config }
            return []
        }
    }

    /// Closes the store after every stage has stopped.
    func close() async {}
}

/// A failure to start that is not the operator's input: exit code 2.
struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
