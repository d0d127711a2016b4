import Config
import Foundation

/// Where the configuration comes from and where the data lives, resolved the way every command
/// does it: `--config FILE`, else `/etc/lookout/lookout.yml` if present, else the embedded default.
public struct ConfigSource: Sendable {
    /// The config file, or nil for the embedded default.
    public let path: String?
    /// `--data-dir`, which wins over `global.data_dir`.
    public let dataDirOverride: String?
    public let environment: [String: String]

    /// Resolves `explicitPath` (from `--config`) against the default location.
    public init(explicitPath: String?, dataDir: String?, environment: [String: String]) {
        if let explicitPath {
            path = explicitPath
        } else if FileManager.default.fileExists(atPath: ConfigLoader.defaultPath) {
            path = ConfigLoader.defaultPath
        } else {
            path = nil
        }
        self.environment = environment
        if let dataDir {
            dataDirOverride = dataDir
        } else if path == nil {
            dataDirOverride = ConfigSource.fallbackDataDir(environment: environment)
        } else {
            dataDirOverride = nil
        }
    }

    /// A human name for logs: the path or `<embedded default>`.
    public var name: String { path ?? "<embedded default>" }

    /// Loads and validates the configuration with the real PromQL and template checks. `${NAME}`
    /// takes the environment's value, else the one in `lookout.env` beside the config file
    /// (read again on every load, so a reload sees an edited file the daemon can read).
    public func load() -> Result<LookoutConfig, ConfigErrors> {
        if let path {
            return ConfigLoader.load(path: path, environment: EnvironmentFile.merged(environment, configPath: path),
                                     validator: Validators.standard, dataDirOverride: dataDirOverride)
        }
        return ConfigLoader.loadDefault(environment: environment, validator: Validators.standard,
                                        dataDirOverride: dataDirOverride)
    }

    /// The embedded default names `/var/lib/lookout`; on a machine where that is not writable
    /// (not root, not under systemd) fall back to `$STATE_DIRECTORY` or `./data`.
    static func fallbackDataDir(environment: [String: String]) -> String? {
        if let state = environment["STATE_DIRECTORY"], !state.isEmpty {
            return String(state.split(separator: ":").first ?? Substring(state))
        }
        let standard = "/var/lib/lookout"
        if FileManager.default.isWritableFile(atPath: standard) { return nil }
        if FileManager.default.isWritableFile(atPath: "/var/lib"), geteuid() == 0 { return nil }
        return "./data"
    }
}
