import ArgumentParser
import Daemon
import Foundation

@main
struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "A single-binary monitoring daemon: probes, scrapes, stores, alerts, notifies.",
        subcommands: [Run.self, Check.self, QueryCommand.self, TestCommand.self, NotifyCommand.self, ReportCommand.self, SilenceCommand.self, StatusCommand.self, Version.self])

    /// Parses and runs a command as ArgumentParser does, except that invalid arguments exit 1
    /// (invalid input, as documented) instead of ArgumentParser's `EX_USAGE` (64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            StandardError.write(fullMessage(for: error))
            Foundation.exit(1)
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print version and build information.")

    func run() {
        print(BuildInfo.description)
    }
}
