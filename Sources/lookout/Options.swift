import ArgumentParser
import Daemon
import Foundation
import Logging

/// Options every store- or config-reading command takes.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: /etc/lookout/lookout.yml if present, else the embedded default).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Data directory holding lookout.db (overrides global.data_dir).")
    var dataDir: String?

    var source: ConfigSource {
        ConfigSource(explicitPath: config, dataDir: dataDir, environment: ProcessInfo.processInfo.environment)
    }
}

/// Logging options.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "logfmt or json.")
    var logFormat: LogFormat = .logfmt

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func bootstrap() -> Logger {
        Logs.bootstrap(format: logFormat, level: logLevel)
        return Logger(label: "lookout")
    }
}

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
