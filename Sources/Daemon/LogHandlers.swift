import Logging
import Model
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The log line formats `lookout` can write to stderr.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `level=info msg="…" key=value`; journald adds timestamps.
    case logfmt
    /// One JSON object per line.
    case json
}

/// A swift-log handler writing logfmt or JSON lines to stderr, one `write` per line so lines from
/// different threads never interleave.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: LogFormat

    /// Creates a handler for one logger label.
    public init(label: String, format: LogFormat, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let line = LogLine.render(format: format, level: event.level, message: "\(event.message)", logger: label, metadata: all)
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}

/// Renders one log line; separate from the handler so tests can check the exact text.
public enum LogLine {
    /// Formats a line without the trailing newline. Metadata keys are sorted for stable output.
    public static func render(format: LogFormat, level: Logger.Level, message: String, logger: String,
                              metadata: Logger.Metadata) -> String {
        let pairs = metadata.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch format {
        case .logfmt:
            var out = "level=\(level.rawValue) logger=\(logger) msg=\(logfmtValue(message))"
            for (key, value) in pairs { out += " \(key)=\(logfmtValue(value))" }
            return out
        case .json:
            var out = "{\"level\":\(jsonString(level.rawValue)),\"logger\":\(jsonString(logger)),\"msg\":\(jsonString(message))"
            for (key, value) in pairs { out += ",\(jsonString(key)):\(jsonString(value))" }
            return out + "}"
        }
    }

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.asciiValue.map { $0 < 0x20 } ?? false }
        guard needsQuotes else { return value }
        return jsonString(value)
    }

    /// `value` as a JSON string literal, quotes included; `<`, `>` and `&` kept readable.
    public static func jsonString(_ value: String) -> String {
        JSONText.quoted(value, htmlSafe: false)
    }
}

/// Installs the stderr handler process-wide, once.
public enum Logs {
    private static let bootstrapped = Atomic<Bool>(false)

    /// Bootstraps swift-log with `StderrLogHandler`; later calls are ignored.
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        guard !bootstrapped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, format: format, level: level) }
    }
}
