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
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            fail(error, in: nil)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            fail(error, in: type(of: command))
        }
    }

    /// Exits for `error`; an invalid argument found by a command's `run()` points at that
    /// command's help (`lookout silence add --help`), not at the root's.
    private static func fail(_ error: any Error, in command: (any ParsableCommand.Type)?) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        if let command, let path = path(to: command) {
            StandardError.write("Error: \(message(for: error))\nSee 'lookout \(path) --help' for more information.")
        } else {
            StandardError.write(fullMessage(for: error))
        }
        Foundation.exit(1)
    }

    /// The subcommand names leading from the root to `target`, e.g. `silence add`.
    static func path(to target: any ParsableCommand.Type, under node: any ParsableCommand.Type = Lookout.self) -> String? {
        for child in node.configuration.subcommands {
            let name = child.configuration.commandName ?? String(describing: child).lowercased()
            if child == target { return name }
            if let rest = path(to: target, under: child) { return name + " " + rest }
        }
        return nil
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print version and build information.")

    func run() {
        print(BuildInfo.description)
    }
}
