import ArgumentParser
import Daemon

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon until SIGTERM; SIGHUP reloads the config.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var logs: LogOptions

    func run() async throws {
        let logger = logs.bootstrap()
        let exit = await Daemon.run(DaemonOptions(source: options.source), logger: logger)
        if exit != .success { throw ExitCode(exit.rawValue) }
    }
}
