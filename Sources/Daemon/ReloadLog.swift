import Logging

/// The log lines of a reload, the same whether SIGHUP or `POST /-/reload` asked for it: one info
/// line on success, one error line per diagnostic (with its `file:line:column`) on rejection.
enum ReloadLog {
    static func record(_ errors: [String], logger: Logger) {
        if errors.isEmpty {
            logger.info("configuration reloaded")
        } else {
            for error in errors { logger.error("reload rejected; keeping the running configuration", metadata: ["error": "\(error)"]) }
        }
    }
}
