import ArgumentParser
import Daemon
#if canImport(Glibc)
import Glibc
#endif

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon until SIGTERM; SIGHUP reloads the config.",
        discussion: """
            Storage: samples go to lookout.db in global.data_dir. Every minute the daemon compacts \
            recent samples into chunks and deletes those older than global.retention, then the \
            series left without any sample (logged at info, counted by \
            lookout_storage_series_pruned_total); a label set that comes back gets a new series.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var logs: LogOptions

    func run() async throws {
        let logger = logs.bootstrap()
        let exit = await Daemon.run(DaemonOptions(source: options.source), logger: logger)
        // Everything is flushed and closed by now (database, outbox, logs written with write(2)).
        // Leave without exit(3)'s atexit handlers: OpenSSL's cleanup frees its global locks while
        // a worker thread may still release a finished transfer's TLS state, which crashed the
        // process (SIGSEGV in pthread_rwlock_rdlock) after "lookout stopped" and would turn a clean
        // stop into a failed unit.
        fflush(nil)
        _exit(exit.rawValue)
    }
}
