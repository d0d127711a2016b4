import ArgumentParser
import Daemon
import Foundation

@main
struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "A single-binary monitoring daemon: probes, scrapes, stores, alerts, notifies.",
        subcommands: [Run.self, Check.self, QueryCommand.self, TestCommand.self, NotifyCommand.self, ReportCommand.self, SilenceCommand.self, StatusCommand.self, Version.self])

    /// As ArgumentParser's, except that invalid arguments exit 1 (invalid input, as the README and
    /// SPEC promise) rather than ArgumentParser's 64 (`EX_USAGE`).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardError.write(fullMessage(for: error))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print version and build information.")

    func run() {
        print(BuildInfo.description)
    }
}
