import ArgumentParser
import Config
import Daemon
import Foundation
import Model

/// Finds `global.data_dir` for commands that read or write the store while the daemon may run.
enum StoreLocation {
    /// `--data-dir`, else the configuration's data directory. Invalid configuration exits 1.
    static func configuration(_ options: ConfigOptions) throws -> LookoutConfig {
        switch options.source.load() {
        case .success(let config): return config
        case .failure(let errors):
            for diagnostic in errors.diagnostics { StandardError.write(diagnostic.description) }
            throw ExitCode(1)
        }
    }

    static func dataDir(_ options: ConfigOptions) throws -> String {
        if let dir = options.dataDir { return dir }
        return try configuration(options).global.dataDir
    }

    /// The database file; exit 2 when it does not exist yet.
    static func existingDatabase(_ options: ConfigOptions) throws -> String {
        let dir = try dataDir(options)
        let path = (dir as NSString).appendingPathComponent("lookout.db")
        guard FileManager.default.fileExists(atPath: path) else {
            StandardError.write("lookout: no database at \(path) (has the daemon run with this data directory?)")
            throw ExitCode(2)
        }
        return path
    }
}

/// Parses `--time`/`--start`/`--end` values: RFC 3339, unix seconds, or `now`.
enum TimeArgument {
    static func parse(_ text: String) throws -> Int64 {
        if text == "now" { return nowMillis() }
        if let seconds = Double(text) { return Int64((seconds * 1000).rounded()) }
        if let timestamp = UTCTime.parseRFC3339(text) { return timestamp }
        throw ValidationError("invalid time \"\(text)\": use RFC 3339 or unix seconds")
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
